package dev.shoal.bmcsim;

import dev.shoal.bmcsim.personality.Personality;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Benchmarks run 200 simulated systems at once; each needs its own listener, and all must start. */
class ManyBmcsTest {
    @Test
    void twoHundredBmcsStartAndAnswer() throws Exception {
        try (BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(Personality.GENERIC, "bmc", 200));
             HttpClient http = HttpClient.newHttpClient()) {
            assertThat(sim.bmcs()).hasSize(200);
            assertThat(sim.bmcs().stream().map(b -> b.baseUri().getPort()).distinct().count()).isEqualTo(200);
            for (SimulatedBmc b : sim.bmcs()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(b.baseUri().resolve("/redfish/v1/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(b.name()).isEqualTo(200);
            }
        }
    }
}

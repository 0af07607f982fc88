package dev.shoal.bmcsim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.bmcsim.bmc.RequestRecord;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.bmcsim.support.Http;
import dev.shoal.bmcsim.support.ImageServer;
import dev.shoal.bmcsim.support.Peer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** DMTF's redfishtool (Debian package) against the generic personality, over plain HTTP (-S Never). */
class RedfishtoolInteropTest {
    static final Path REDFISHTOOL = Path.of("/usr/bin/redfishtool");

    static Peer.Result redfishtool(SimulatedBmc bmc, String... args) {
        List<String> cmd = Peer.list(REDFISHTOOL.toString(), "-r", bmc.baseUri().getHost() + ":" + bmc.baseUri().getPort(),
                "-u", bmc.credentials().username(), "-p", bmc.credentials().password(), "-S", "Never", "-T", "10");
        cmd.addAll(List.of(args));
        return Peer.run(Duration.ofSeconds(30), cmd);
    }

    @Test
    void redfishtoolSetsBootOverridePowersOnAndInsertsMedia() throws Exception {
        Peer.require("redfishtool", REDFISHTOOL, REDFISHTOOL.toString(), "-V");
        try (ImageServer images = ImageServer.http();
             BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(BmcSpec.of("rft", Personality.GENERIC)))) {
            SimulatedBmc bmc = sim.bmc("rft");
            Http admin = Http.to(sim.adminUri());

            Peer.Result boot = redfishtool(bmc, "Systems", "setBootOverride", "Once", "Cd");
            assertThat(boot.exit()).as(boot.toString()).isZero();
            JsonNode state = admin.get("/bmcs/rft/state").json();
            assertThat(state.path("boot").path("enabled").asText()).isEqualTo("Once");
            assertThat(state.path("boot").path("target").asText()).isEqualTo("Cd");

            String iso = images.add("/rft.iso", 500_000);
            Peer.Result insert = redfishtool(bmc, "-A", "Session", "-d", "{\"Image\": \"" + iso + "\"}",
                    "raw", "POST", "/redfish/v1/Managers/BMC/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia");
            assertThat(insert.exit()).as(insert.toString()).isZero();
            state = admin.get("/bmcs/rft/state").json();
            assertThat(state.path("media").path(0).path("image").asText()).isEqualTo(iso);
            assertThat(state.path("media").path(0).path("inserted").asBoolean()).isTrue();
            assertThat(state.path("sessions").asInt()).as("redfishtool logs out of its session").isZero();
            assertThat(bmc.state().requests("POST", "/SessionService/Sessions")).extracting(RequestRecord::status).containsExactly(201);
            assertThat(bmc.state().requests("DELETE", "")).extracting(RequestRecord::status).containsExactly(204);

            Peer.Result on = redfishtool(bmc, "Systems", "reset", "On");
            assertThat(on.exit()).as(on.toString()).isZero();
            state = admin.get("/bmcs/rft/state").json();
            assertThat(state.path("power").asText()).isEqualTo("On");
            assertThat(state.path("boot").path("enabled").asText()).as("Once spent by the boot").isEqualTo("Disabled");
            assertThat(state.path("bootCount").asInt()).isEqualTo(1);

            Peer.Result get = redfishtool(bmc, "Systems", "-1", "-P", "PowerState");
            assertThat(get.exit()).as(get.toString()).isZero();
            assertThat(Http.json(get.stdout()).path("PowerState").asText()).isEqualTo("On");
        }
    }
}

package dev.shoal.bmcsim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.bmcsim.http.Json;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.bmcsim.support.Http;
import dev.shoal.bmcsim.support.Http.Resp;
import dev.shoal.bmcsim.support.ImageServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin listener: list, state, faults, reset; and N BMCs of one personality from code. */
class AdminEndpointTest {
    @Test
    void listsBmcsAndServesTheirStateFaultsAndReset() throws Exception {
        try (ImageServer images = ImageServer.http();
             BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(Personality.DELL, "idrac", 3))) {
            Http admin = Http.to(sim.adminUri());
            assertThat(sim.adminUri().getHost()).isEqualTo("127.0.0.1");
            JsonNode list = admin.get("/bmcs").json().path("bmcs");
            assertThat(list).hasSize(3);
            assertThat(list).extracting(n -> n.path("name").asText()).containsExactly("idrac-1", "idrac-2", "idrac-3");
            assertThat(list).extracting(n -> n.path("personality").asText()).containsOnly("DELL");
            assertThat(list.path(0).path("baseUrl").asText()).isEqualTo(sim.bmc("idrac-1").baseUri().toString());
            assertThat(list.path(0).path("up").asBoolean()).isTrue();

            SimulatedBmc bmc = sim.bmc("idrac-2");
            Http c = Http.to(bmc.baseUri()).basic(bmc.credentials());
            String sys = "/redfish/v1/Systems/System.Embedded.1";
            c.patch(sys, Json.object().set("Boot", Json.object().put("BootSourceOverrideTarget", "Cd").put("BootSourceOverrideEnabled", "Once")));
            String url = images.add("/x.iso", 70_000);
            assertThat(c.post("/redfish/v1/Managers/iDRAC.Embedded.1/VirtualMedia/CD/Actions/VirtualMedia.InsertMedia",
                    Json.object().put("Image", url)).status()).isEqualTo(204);

            JsonNode state = admin.get("/bmcs/idrac-2/state").json();
            assertThat(state.path("name").asText()).isEqualTo("idrac-2");
            assertThat(state.path("personality").asText()).isEqualTo("DELL");
            assertThat(state.path("power").asText()).isEqualTo("Off");
            assertThat(state.path("boot").path("enabled").asText()).isEqualTo("Once");
            assertThat(state.path("boot").path("target").asText()).isEqualTo("Cd");
            assertThat(state.path("boot").path("mode").asText()).isEqualTo("UEFI");
            assertThat(state.path("media").path(0).path("id").asText()).isEqualTo("CD");
            assertThat(state.path("media").path(0).path("image").asText()).isEqualTo(url);
            assertThat(state.path("media").path(0).path("inserted").asBoolean()).isTrue();
            assertThat(state.path("media").path(0).path("mediaTypes")).extracting(JsonNode::asText).containsExactly("CD", "DVD");
            assertThat(state.path("sessions").asInt()).isZero();
            assertThat(state.path("pendingSettings").isObject()).isTrue();
            JsonNode last = state.path("requests").path(state.path("requests").size() - 1);
            assertThat(last.path("method").asText()).isEqualTo("POST");
            assertThat(last.path("path").asText()).endsWith("VirtualMedia.InsertMedia");
            assertThat(last.path("status").asInt()).isEqualTo(204);
            assertThat(last.path("body").asText()).contains(url);

            Resp set = admin.post("/bmcs/idrac-2/faults", Json.object().put("errorCount", 2).put("errorStatus", 500).put("latencyMs", 10));
            assertThat(set.status()).isEqualTo(200);
            assertThat(set.json().path("errorCount").asInt()).isEqualTo(2);
            assertThat(c.get(sys).status()).isEqualTo(500);
            assertThat(admin.get("/bmcs/idrac-2/faults").json().path("errorCount").asInt()).isEqualTo(1);
            assertThat(admin.post("/bmcs/idrac-2/faults", "{}").json().path("errorCount").asInt()).isZero();

            Resp bad = admin.post("/bmcs/idrac-2/faults", Json.object().put("errorCuont", 2));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.json().path("error").path("message").asText()).contains("errorCuont");
            assertThat(admin.post("/bmcs/idrac-2/faults", Json.object().put("errorStatus", 404)).status()).isEqualTo(400);

            Resp reset = admin.post("/bmcs/idrac-2/reset", null);
            assertThat(reset.status()).isEqualTo(200);
            assertThat(reset.json().path("boot").path("enabled").asText()).isEqualTo("Disabled");
            assertThat(reset.json().path("media").path(0).path("inserted").asBoolean()).isFalse();
            assertThat(reset.json().path("requests")).isEmpty();

            assertThat(admin.get("/bmcs/nope/state").status()).isEqualTo(404);
            assertThat(admin.get("/nothing").status()).isEqualTo(404);
            assertThat(admin.delete("/bmcs/idrac-2/reset").status()).isEqualTo(405);
            assertThat(c.get("/bmcs").status()).as("admin routes are not on BMC listeners").isEqualTo(404);
        }
    }

    @Test
    void resetPowersOff() throws Exception {
        try (BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(BmcSpec.of("g", Personality.GENERIC)))) {
            SimulatedBmc bmc = sim.bmc("g");
            Http.to(bmc.baseUri()).basic(bmc.credentials()).post("/redfish/v1/Systems/437XR1138R2/Actions/ComputerSystem.Reset",
                    Json.object().put("ResetType", "On"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> bmc.state().power().redfish().equals("On"));
            Http.to(sim.adminUri()).post("/bmcs/g/reset", null);
            assertThat(Http.to(sim.adminUri()).get("/bmcs/g/state").json().path("power").asText()).isEqualTo("Off");
        }
    }
}

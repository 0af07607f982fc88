package dev.shoal.bmcsim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.bmcsim.faults.FaultPlan;
import dev.shoal.bmcsim.machine.BootSource;
import dev.shoal.bmcsim.machine.RecordingMachine;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.bmcsim.support.Http;
import dev.shoal.bmcsim.support.ImageServer;
import dev.shoal.bmcsim.support.Peer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's python3-sushy (the client of OpenStack Ironic) against the generic personality, through
 * /usr/bin/python3 (not a pyenv interpreter on PATH, which would not see the Debian package).
 */
class SushyInteropTest {
    @TempDir
    Path tmp;

    @Test
    void sushyListsInsertsBootsPowersAndEjects() throws Exception {
        Peer.require("python3-sushy", Peer.PYTHON, Peer.PYTHON.toString(), "-c", "import sushy");
        RecordingMachine machine = new RecordingMachine();
        try (ImageServer images = ImageServer.http();
             BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(BmcSpec.of("sushy-node", Personality.GENERIC)).withMachine(machine))) {
            SimulatedBmc bmc = sim.bmc("sushy-node");
            String iso = images.add("/ironic/deploy.iso", 2 * 1024 * 1024);
            Map<String, JsonNode> steps = sushyFlow(sim, bmc, iso);

            assertThat(steps.get("list_systems").path("systems")).extracting(JsonNode::asText).containsExactly("/redfish/v1/Systems/437XR1138R2");
            assertThat(steps.get("list_systems").path("state").path("sessions").asInt()).as("sushy logs in with a session").isEqualTo(1);

            JsonNode vm = steps.get("virtual_media");
            assertThat(vm.path("slots")).extracting(JsonNode::asText).containsExactly("CD1", "Floppy1");
            assertThat(vm.path("cd").asText()).isEqualTo("CD1");
            assertThat(vm.path("state").path("media").path(0).path("inserted").asBoolean()).isFalse();

            JsonNode inserted = steps.get("insert_media").path("state").path("media").path(0);
            assertThat(inserted.path("image").asText()).isEqualTo(iso);
            assertThat(inserted.path("inserted").asBoolean()).isTrue();
            assertThat(inserted.path("ranges")).extracting(JsonNode::asText).contains("bytes=0-65535");
            assertThat(steps.get("insert_media").path("inserted").asBoolean()).isTrue();
            assertThat(images.bytesServed("/ironic/deploy.iso")).isLessThan(200_000);

            JsonNode boot = steps.get("set_boot_options").path("state").path("boot");
            assertThat(boot.path("enabled").asText()).isEqualTo("Once");
            assertThat(boot.path("target").asText()).isEqualTo("Cd");
            assertThat(boot.path("mode").asText()).isEqualTo("UEFI");

            JsonNode on = steps.get("reset_on");
            assertThat(on.path("state").path("power").asText()).isEqualTo("On");
            assertThat(on.path("power").asText()).isEqualTo("On");
            assertThat(on.path("state").path("boot").path("enabled").asText()).as("Once spent by the boot").isEqualTo("Disabled");

            JsonNode ejected = steps.get("eject_media");
            assertThat(ejected.path("state").path("media").path(0).path("inserted").asBoolean()).isFalse();
            assertThat(ejected.path("state").path("media").path(0).path("image").isNull()).isTrue();
            assertThat(ejected.path("inserted").asBoolean()).isFalse();

            var boots = machine.awaitBoots("sushy-node", 1, Duration.ofSeconds(5));
            assertThat(boots.get(0).source()).isEqualTo(BootSource.CD);
            assertThat(boots.get(0).media()).containsEntry("CD1", iso);
            // what sushy actually sent, as the BMC logged it
            assertThat(bmc.state().requests("PATCH", "/Systems/437XR1138R2")).last()
                    .satisfies(q -> assertThat(q.body()).contains("\"BootSourceOverrideTarget\":\"Cd\"", "\"BootSourceOverrideEnabled\":\"Once\""));
        }
    }

    /**
     * The quirks sushy (and so Ironic) already copes with: iDRAC's SYS518 503s (sushy retries GETs after 3 s),
     * iLO's eject without body (sushy retries with {}) and gzip, Supermicro's UsbCd (sushy rewrites Cd) and
     * refusal of Inserted/WriteProtected (sushy leaves them out), Lenovo's PATCH-only slots.
     */
    @ParameterizedTest
    @EnumSource(value = Personality.class, names = {"DELL", "HPE", "SUPERMICRO", "LENOVO"})
    void sushyCopesWithTheQuirksItKnows(Personality personality) throws Exception {
        Peer.require("python3-sushy", Peer.PYTHON, Peer.PYTHON.toString(), "-c", "import sushy");
        RecordingMachine machine = new RecordingMachine();
        // one not-ready GET after the reset (not the iDRAC's usual two): each costs sushy a 3 s pause
        BmcSpec spec = BmcSpec.of("node", personality).withFaults(FaultPlan.NONE.withNotReadyAfterPowerChange(personality == Personality.DELL ? 1 : null));
        try (ImageServer images = ImageServer.http();
             BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(spec).withMachine(machine))) {
            SimulatedBmc bmc = sim.bmc("node");
            String iso = images.add("/ironic/deploy.iso", 1024 * 1024);
            Map<String, JsonNode> steps = sushyFlow(sim, bmc, iso);
            String cd = steps.get("virtual_media").path("cd").asText();
            assertThat(slot(steps.get("insert_media"), cd).path("image").asText()).isEqualTo(iso);
            assertThat(slot(steps.get("insert_media"), cd).path("inserted").asBoolean()).isTrue();
            JsonNode boot = steps.get("set_boot_options").path("state").path("boot");
            assertThat(boot.path("enabled").asText()).isEqualTo("Once");
            assertThat(boot.path("target").asText()).isEqualTo(personality == Personality.SUPERMICRO ? "UsbCd" : "Cd");
            assertThat(steps.get("reset_on").path("state").path("power").asText()).isEqualTo("On");
            assertThat(slot(steps.get("eject_media"), cd).path("inserted").asBoolean()).isFalse();
            assertThat(machine.awaitBoots("node", 1, Duration.ofSeconds(5)).get(0).source()).isEqualTo(BootSource.CD);
        }
    }

    static JsonNode slot(JsonNode step, String id) {
        for (JsonNode m : step.path("state").path("media")) {
            if (m.path("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError("no slot " + id + " in " + step);
    }

    /** Runs the sushy flow script against one BMC and returns its steps by name, checking all of them ran. */
    private Map<String, JsonNode> sushyFlow(BmcSimulator sim, SimulatedBmc bmc, String iso) throws Exception {
        Path script = Peer.resource("/interop/sushy_flow.py", tmp);
        Peer.Result r = Peer.run(Duration.ofSeconds(45), List.of(Peer.PYTHON.toString(), script.toString(),
                bmc.baseUri().toString(), bmc.credentials().username(), bmc.credentials().password(),
                sim.adminUri().toString(), bmc.name(), iso));
        assertThat(r.exit()).as(r.toString()).isZero();
        Map<String, JsonNode> steps = new LinkedHashMap<>();
        for (String line : r.lines()) {
            JsonNode n = Http.json(line);
            steps.put(n.path("step").asText(), n);
        }
        assertThat(steps.keySet()).as(r.toString())
                .containsExactly("list_systems", "virtual_media", "insert_media", "set_boot_options", "reset_on", "eject_media");
        return steps;
    }
}

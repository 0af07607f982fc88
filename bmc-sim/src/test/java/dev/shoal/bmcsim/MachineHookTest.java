package dev.shoal.bmcsim;

import dev.shoal.bmcsim.http.Json;
import dev.shoal.bmcsim.machine.BootContext;
import dev.shoal.bmcsim.machine.BootMode;
import dev.shoal.bmcsim.machine.BootSource;
import dev.shoal.bmcsim.machine.RecordingMachine;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.bmcsim.support.Http;
import dev.shoal.bmcsim.support.ImageServer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The boot hook: what the "server" behind the BMC is told when it powers on or resets. */
class MachineHookTest {
    static final String SYS = "/redfish/v1/Systems/437XR1138R2";
    static final String CD = "/redfish/v1/Managers/BMC/VirtualMedia/CD1";

    @Test
    void cdOnceWithMediaBootsTheCdThenTheDiskOnTheNextReset() throws Exception {
        RecordingMachine machine = new RecordingMachine();
        try (ImageServer images = ImageServer.http();
             BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(BmcSpec.of("node1", Personality.GENERIC)
                     .withPowerDelay(Duration.ofMillis(100))).withMachine(machine))) {
            SimulatedBmc bmc = sim.bmc("node1");
            Http c = Http.to(bmc.baseUri()).basic(bmc.credentials());
            String iso = images.add("/maint.iso", 200_000);
            String task = images.add("/task.iso", 4096);
            assertThat(c.post(CD + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", iso)).status()).isEqualTo(204);
            assertThat(c.post("/redfish/v1/Managers/BMC/VirtualMedia/Floppy1/Actions/VirtualMedia.InsertMedia",
                    Json.object().put("Image", task)).status()).isEqualTo(204);
            assertThat(c.patch(SYS, Json.object().set("Boot", Json.object().put("BootSourceOverrideTarget", "Cd")
                    .put("BootSourceOverrideEnabled", "Once").put("BootSourceOverrideMode", "UEFI"))).status()).isEqualTo(204);
            assertThat(c.post(SYS + "/Actions/ComputerSystem.Reset", Json.object().put("ResetType", "On")).status()).isEqualTo(204);
            assertThat(machine.boots()).as("the hook runs after the power delay, not at the answer").isEmpty();

            List<BootContext> boots = machine.awaitBoots("node1", 1, Duration.ofSeconds(5));
            assertThat(boots.get(0)).isEqualTo(new BootContext("node1", BootSource.CD, Map.of("CD1", iso, "Floppy1", task), BootMode.UEFI));
            assertThat(boots.get(0).media()).containsKeys("CD1", "Floppy1");
            assertThat(bmc.state().boot().enabled()).as("Once is spent by the boot").isEqualTo("Disabled");
            assertThat(bmc.state().boot().target()).isEqualTo("Cd");
            assertThat(c.get(SYS).json().path("Boot").path("BootSourceOverrideEnabled").asText()).isEqualTo("Disabled");
            assertThat(bmc.state().bootCount()).isEqualTo(1);

            assertThat(c.post(SYS + "/Actions/ComputerSystem.Reset", Json.object().put("ResetType", "ForceRestart")).status()).isEqualTo(204);
            boots = machine.awaitBoots("node1", 2, Duration.ofSeconds(5));
            assertThat(boots.get(1).source()).isEqualTo(BootSource.HDD);
            assertThat(boots.get(1).media()).containsEntry("CD1", iso);
        }
    }

    @Test
    void continuousCdWithoutMediaBootsTheDiskAndLegacyModeIsReported() throws Exception {
        RecordingMachine machine = new RecordingMachine();
        try (BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(BmcSpec.of("node2", Personality.GENERIC)).withMachine(machine))) {
            SimulatedBmc bmc = sim.bmc("node2");
            Http c = Http.to(bmc.baseUri()).basic(bmc.credentials());
            c.patch(SYS, Json.object().set("Boot", Json.object().put("BootSourceOverrideTarget", "Cd")
                    .put("BootSourceOverrideEnabled", "Continuous").put("BootSourceOverrideMode", "Legacy")));
            c.post(SYS + "/Actions/ComputerSystem.Reset", Json.object().put("ResetType", "On"));
            BootContext boot = machine.awaitBoots("node2", 1, Duration.ofSeconds(5)).get(0);
            assertThat(boot.source()).isEqualTo(BootSource.HDD);
            assertThat(boot.media()).isEmpty();
            assertThat(boot.mode()).isEqualTo(BootMode.LEGACY);
            assertThat(bmc.state().boot().enabled()).as("Continuous is kept").isEqualTo("Continuous");
        }
    }

    @Test
    void theDefaultMachineRecordsBoots() throws Exception {
        try (BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(BmcSpec.of("node3", Personality.GENERIC)))) {
            assertThat(sim.machine()).isInstanceOf(RecordingMachine.class);
            SimulatedBmc bmc = sim.bmc("node3");
            Http.to(bmc.baseUri()).basic(bmc.credentials()).post(SYS + "/Actions/ComputerSystem.Reset", Json.object().put("ResetType", "PushPowerButton"));
            assertThat(((RecordingMachine) sim.machine()).awaitBoots("node3", 1, Duration.ofSeconds(5))).hasSize(1);
        }
    }
}

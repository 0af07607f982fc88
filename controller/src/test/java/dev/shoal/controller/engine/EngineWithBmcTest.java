package dev.shoal.controller.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.bmc.BmcState;
import dev.shoal.bmcsim.bmc.PowerState;
import dev.shoal.bmcsim.bmc.SlotState;
import dev.shoal.bmcsim.faults.FaultPlan;
import dev.shoal.bmcsim.machine.Machine;
import dev.shoal.bmcsim.machine.RecordingMachine;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.testing.ProvisioningRig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine against simulated BMCs whose servers never run an agent (a RecordingMachine) or run a frozen one: every
 * path that ends without the agent's success, each with its reason, and what the engine leaves on the BMC.
 */
class EngineWithBmcTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String RECIPE = """
            {"kind": "image", "url": "http://127.0.0.1:9/never-fetched.raw", "format": "raw",
             "checksum": "sha256:0000000000000000000000000000000000000000000000000000000000000000"}""";

    static ProvisioningRig rig(Path dir, List<BmcSpec> bmcs, Machine machine, Map<ConfigKey, String> extra) throws Exception {
        return ProvisioningRig.start(dir, bmcs, machine, extra);
    }

    static void assertPoweredOffAndEmpty(BmcState s) {
        assertThat(s.power()).as("power").isEqualTo(PowerState.OFF);
        assertThat(s.media()).as("media").noneMatch(SlotState::inserted);
    }

    @Test
    void cancelWhileTheAgentRunsPowersOffEjectsAndEndsCancelled(@TempDir Path dir) throws Exception {
        RecordingMachine machine = new RecordingMachine();
        try (ProvisioningRig rig = rig(dir, List.of(BmcSpec.of("dell-1", Personality.DELL)), machine, Map.of())) {
            String id = rig.submit("dell-1", RECIPE);
            rig.awaitStep(id, "await-agent", WAIT);
            BmcState booted = rig.bmc("dell-1").state();
            assertThat(booted.power()).isEqualTo(PowerState.ON);
            assertThat(booted.boot().target()).isEqualTo("Cd");
            assertThat(booted.media().stream().filter(SlotState::inserted).map(SlotState::image).toList())
                    .anySatisfy(u -> assertThat(u).endsWith("/static/isos/maintenance.iso"))
                    .anySatisfy(u -> assertThat(u).contains("/media/tasks/" + id + "/").endsWith("/task.iso"));
            assertThat(machine.awaitBoots("dell-1", 1, WAIT).getFirst().media()).hasSize(2);

            assertThat(rig.controller().post("/api/v1/jobs/" + id + "/cancel", "").statusCode()).isEqualTo(202);
            JsonNode j = rig.awaitState(id, ProvisioningRig.TERMINAL, WAIT);
            assertThat(j.path("state").asText()).isEqualTo("cancelled");
            assertThat(j.path("step").isNull()).isTrue();
            assertThat(rig.stateHistory(id)).containsExactly("queued", "provisioning", "cancelled");
            assertPoweredOffAndEmpty(rig.bmc("dell-1").state());
        }
    }

    @Test
    void aServerRunsOneJobAtATimeAndTheNextOneWaitsQueued(@TempDir Path dir) throws Exception {
        try (ProvisioningRig rig = rig(dir, List.of(BmcSpec.of("a", Personality.GENERIC), BmcSpec.of("b", Personality.HPE)),
                new RecordingMachine(), Map.of())) {
            String first = rig.submit("a", RECIPE);
            String second = rig.submit("a", RECIPE);
            String other = rig.submit("b", RECIPE);
            rig.awaitStep(first, "await-agent", WAIT);
            rig.awaitStep(other, "await-agent", WAIT);
            Thread.sleep(1000); // several scheduler ticks
            assertThat(rig.job(second).path("state").asText()).isEqualTo("queued");
            assertThat(rig.job(second).path("step").asText()).isEqualTo("start");

            rig.controller().post("/api/v1/jobs/" + first + "/cancel", "");
            rig.awaitState(first, ProvisioningRig.TERMINAL, WAIT);
            rig.awaitStep(second, "await-agent", WAIT);
            assertThat(rig.stateHistory(second)).containsExactly("queued", "provisioning");
        }
    }

    @Test
    void drainingKeepsQueuedJobsQueuedUntilResumed(@TempDir Path dir) throws Exception {
        try (ProvisioningRig rig = rig(dir, List.of(BmcSpec.of("a", Personality.GENERIC)), new RecordingMachine(), Map.of())) {
            var drained = rig.controller().post("/api/v1/engine/drain", "");
            assertThat(drained.statusCode()).isEqualTo(200);
            assertThat(drained.body()).contains("\"draining\":true", "\"picking_new_jobs\":false");
            String id = rig.submit("a", RECIPE);
            Thread.sleep(1500);
            assertThat(rig.job(id).path("state").asText()).isEqualTo("queued");
            assertThat(rig.bmc("a").state().requests("POST", "InsertMedia")).isEmpty();

            assertThat(rig.controller().post("/api/v1/engine/resume", "").body()).contains("\"draining\":false");
            rig.awaitStep(id, "await-agent", WAIT);
            var status = rig.controller().get("/api/v1/engine");
            assertThat(status.body()).contains("\"jobs_active\":1", "\"worker_concurrency\":4");
        }
    }

    @Test
    void aBmcThatIsDownFailsTheJobAtBootIsoWithTheCause(@TempDir Path dir) throws Exception {
        try (ProvisioningRig rig = rig(dir, List.of(BmcSpec.of("down", Personality.GENERIC).withFaults(FaultPlan.NONE.withDown(true))),
                new RecordingMachine(), Map.of(ConfigKey.REDFISH_RETRIES, "0"))) {
            String id = rig.submit("down", RECIPE);
            JsonNode j = rig.awaitState(id, ProvisioningRig.TERMINAL, WAIT);
            assertThat(j.path("state").asText()).isEqualTo("failed");
            assertThat(j.path("error").path("step").asText()).isEqualTo("boot-iso");
            assertThat(j.path("error").path("message").asText()).containsIgnoringCase("connect");
            assertThat(rig.stateHistory(id)).containsExactly("queued", "provisioning", "failed");
            assertThat(ProvisioningRig.describe(rig.events(id))).contains("cleanup");
        }
    }

    @Test
    void aBmcThatRefusesTheInsertFailsTheJobWithItsOwnMessage(@TempDir Path dir) throws Exception {
        // the BMC reads an image before it accepts it (as real ones do), and this URL leads nowhere
        try (ProvisioningRig rig = rig(dir, List.of(BmcSpec.of("refuses", Personality.GENERIC)), new RecordingMachine(),
                Map.of(ConfigKey.MAINTENANCE_ISO_URL, "http://127.0.0.1:9/maintenance.iso"))) {
            String id = rig.submit("refuses", RECIPE);
            JsonNode j = rig.awaitState(id, ProvisioningRig.TERMINAL, WAIT);
            assertThat(j.path("state").asText()).isEqualTo("failed");
            assertThat(j.path("error").path("step").asText()).isEqualTo("boot-iso");
            assertThat(j.path("error").path("message").asText()).contains("maintenance ISO", "127.0.0.1:9");
            assertThat(j.path("error").path("bmc_message").asText()).isNotEmpty();
            assertPoweredOffAndEmpty(rig.bmc("refuses").state());
        }
    }

    @Test
    void anAgentThatNeverCallsBackFailsAfterTheBootTimeout(@TempDir Path dir) throws Exception {
        try (ProvisioningRig rig = rig(dir, List.of(BmcSpec.of("a", Personality.SUPERMICRO)), new RecordingMachine(),
                Map.of(ConfigKey.AGENT_BOOT_TIMEOUT, "2s"))) {
            String id = rig.submit("a", RECIPE);
            JsonNode j = rig.awaitState(id, ProvisioningRig.TERMINAL, WAIT);
            assertThat(j.path("state").asText()).isEqualTo("failed");
            assertThat(j.path("error").path("step").asText()).isEqualTo("await-agent");
            assertThat(j.path("error").path("message").asText()).contains("never called back", "AGENT_BOOT_TIMEOUT");
            assertPoweredOffAndEmpty(rig.bmc("a").state());
        }
    }

    @Test
    void anAgentThatGoesSilentFailsAfterItsHeartbeatTimeout(@TempDir Path dir) throws Exception {
        SilentAgentMachine machine = new SilentAgentMachine(dir);
        try (ProvisioningRig rig = rig(dir.resolve("rig"), List.of(BmcSpec.of("a", Personality.LENOVO)), machine,
                Map.of(ConfigKey.AGENT_HEARTBEAT_TIMEOUT, "2s"))) {
            String id = rig.submit("a", RECIPE);
            JsonNode j = rig.awaitState(id, ProvisioningRig.TERMINAL, WAIT);
            assertThat(machine.said).hasSize(1);
            assertThat(j.path("state").asText()).isEqualTo("failed");
            assertThat(j.path("error").path("message").asText()).contains("went silent", "AGENT_HEARTBEAT_TIMEOUT (2s)");
            assertThat(ProvisioningRig.describe(rig.events(id))).contains("agent started, then froze");
            assertPoweredOffAndEmpty(rig.bmc("a").state());
        }
    }

    @Test
    void withoutAMaintenanceIsoTheJobFailsWithoutTouchingTheServer(@TempDir Path dir) throws Exception {
        try (ProvisioningRig rig = rig(dir, List.of(BmcSpec.of("a", Personality.GENERIC)), new RecordingMachine(),
                Map.of(ConfigKey.STATIC_DIR, dir.resolve("empty-static").toString()))) {
            String id = rig.submit("a", RECIPE);
            JsonNode j = rig.awaitState(id, ProvisioningRig.TERMINAL, WAIT);
            assertThat(j.path("error").path("message").asText()).contains("MAINTENANCE_ISO_URL is not set");
            assertThat(rig.bmc("a").state().requests("POST", "Reset")).isEmpty();
            assertThat(Set.copyOf(rig.stateHistory(id))).containsExactlyInAnyOrder("queued", "provisioning", "failed");
        }
    }

    @Test
    void anOciImageOnThisControllerGetsAPullCredentialForItsRepositoryUntilTheJobEnds(@TempDir Path dir) throws Exception {
        try (ProvisioningRig rig = rig(dir, List.of(BmcSpec.of("a", Personality.GENERIC)), new RecordingMachine(),
                Map.of(ConfigKey.ENABLE_REGISTRY, "true", ConfigKey.REGISTRY_AUTH_MODE, "none"))) {
            String self = rig.controller().app().controllerUrl().getRawAuthority();
            String id = rig.submit("a", RECIPE.replace("http://127.0.0.1:9/never-fetched.raw", "oci://" + self + "/images/debian:12"));
            rig.awaitStep(id, "await-agent", WAIT);
            JsonNode task;
            try (var iso = dev.shoal.iso.IsoReader.open(dir.resolve("tasks").resolve(id).resolve("task.iso"))) {
                task = new com.fasterxml.jackson.databind.ObjectMapper().readTree(iso.readAllBytes("task.json"));
            }
            JsonNode registry = task.path("registry");
            assertThat(registry.path("url").asText()).isEqualTo(rig.controller().app().controllerUrl().toString());
            assertThat(registry.path("username").asText()).isEqualTo("job-" + id);
            assertThat(registry.path("password").asText()).hasSizeGreaterThan(40);
            Path db = dir.resolve("db/provisioner.db");
            assertThat(dev.shoal.controller.testing.DebianTools.run(null, "sqlite3", db.toString(),
                    "SELECT repository FROM registry_job_credentials;").out().strip()).isEqualTo("images/debian");
            assertThat(ProvisioningRig.describe(rig.events(id))).doesNotContain(registry.path("password").asText());

            rig.controller().post("/api/v1/jobs/" + id + "/cancel", "");
            rig.awaitState(id, ProvisioningRig.TERMINAL, WAIT);
            assertThat(dev.shoal.controller.testing.DebianTools.run(null, "sqlite3", db.toString(),
                    "SELECT count(*) FROM registry_job_credentials;").out().strip()).as("revoked when the job ended").isEqualTo("0");
        }
    }
}

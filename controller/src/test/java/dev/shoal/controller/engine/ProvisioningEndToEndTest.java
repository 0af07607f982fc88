package dev.shoal.controller.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.agentmachine.AgentMachine;
import dev.shoal.bmcsim.agentmachine.AgentMachineConfig;
import dev.shoal.bmcsim.agentmachine.BootRecord;
import dev.shoal.bmcsim.bmc.BmcState;
import dev.shoal.bmcsim.bmc.PowerState;
import dev.shoal.bmcsim.bmc.SlotState;
import dev.shoal.bmcsim.machine.BootSource;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.testing.DebianTools;
import dev.shoal.controller.testing.OciPush;
import dev.shoal.controller.testing.ProvisioningRig;
import dev.shoal.iso.IsoReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path, for real: a job posted to the controller's API; the engine drives a simulated BMC over Redfish;
 * the simulated server reads both ISOs from the URLs the controller inserted (64 KiB Range requests, the task ISO's
 * URL signed), runs the real shoal-agent against its disk file; the agent streams the image from the controller's
 * /static/, verifies it, adds the config drive and reports over signed callbacks; the engine ejects the media and
 * boots the disk. Then the failures the agent reports or causes.
 */
class ProvisioningEndToEndTest {
    static final Duration WAIT = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    AgentMachine servers;
    final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    ProvisioningRig rig(Map<ConfigKey, String> extra, BmcSpec... bmcs) throws Exception {
        servers = new AgentMachine(AgentMachineConfig.of(dir.resolve("servers")).withDiskBytes(32L << 20));
        open.add(servers);
        ProvisioningRig rig = ProvisioningRig.start(dir.resolve("controller"), List.of(bmcs), servers, extra);
        open.add(rig);
        return rig;
    }

    /** An 8 MiB GPT disk image made by sfdisk, one partition holding a recognisable payload. */
    byte[] image() throws Exception {
        Path img = dir.resolve("image.raw");
        try (RandomAccessFile f = new RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(8L << 20);
        }
        DebianTools.run("label: gpt\nstart=2048, size=8192, type=L\n", "sfdisk", "-q", img.toString());
        byte[] bytes = Files.readAllBytes(img);
        byte[] payload = "shoal end-to-end payload\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(payload, 0, bytes, 2048 * 512, payload.length);
        return bytes;
    }

    String publish(ProvisioningRig rig, String name, byte[] bytes) throws Exception {
        Path f = dir.resolve("controller/static/images").resolve(name);
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
        return rig.controller().app().controllerUrl() + "/static/images/" + name;
    }

    static String recipe(String url, String checksum, String hostname) {
        return """
                {"kind": "image", "url": "%s", "checksum": "%s", "format": "raw",
                 "config_drive": {"meta_data": {"hostname": "%s"}, "user_data": "#cloud-config\\nhostname: %s\\n",
                                  "network_data": {"links": []}}}""".formatted(url, checksum, hostname, hostname);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void aJobProvisionsASimulatedServerFromQueuedToComplete() throws Exception {
        ProvisioningRig rig = rig(Map.of(), BmcSpec.of("node-1", Personality.DELL));
        byte[] image = image();
        String id = rig.submit("node-1", recipe(publish(rig, "disk.raw", image), "sha256:" + sha256(image), "node-1"));

        JsonNode job = rig.awaitState(id, ProvisioningRig.TERMINAL, WAIT);
        String log = ProvisioningRig.describe(rig.events(id));
        assertThat(job.path("state").asText()).as(log).isEqualTo("complete");
        assertThat(rig.stateHistory(id)).containsExactly("queued", "provisioning", "succeeded", "complete");
        assertThat(log).contains("prepare-task", "insert", "write-image", "progress", "config-drive", "booting from disk");
        // the signed task ISO URL is a credential until the deadline: events show it with its signature masked
        assertThat(log).containsPattern("/media/tasks/" + id + "/\\d+/\\*{6}/task\\.iso")
                .doesNotContainPattern("/media/tasks/" + id + "/\\d+/[A-Za-z0-9_-]{20,}/task\\.iso");

        // the disk holds the image's partition byte for byte (the agent verified the whole image before it added the
        // config drive, which rewrites the GPT), and a readable config-2 partition at its end
        byte[] disk = Files.readAllBytes(servers.disk("node-1"));
        int from = 2048 * 512;
        int to = (2048 + 8192) * 512;
        assertThat(sha256(java.util.Arrays.copyOfRange(disk, from, to))).isEqualTo(sha256(java.util.Arrays.copyOfRange(image, from, to)));
        assertThat(ProvisioningRig.describe(rig.events(id))).contains("sha256:" + sha256(image));
        JsonNode table = JSON.readTree(DebianTools.run(null, "sfdisk", "--json", servers.disk("node-1").toString()).out());
        JsonNode last = table.path("partitiontable").path("partitions").get(table.path("partitiontable").path("partitions").size() - 1);
        Path drive = dir.resolve("config-2.iso");
        Files.write(drive, java.util.Arrays.copyOfRange(disk, last.path("start").asInt() * 512,
                (last.path("start").asInt() + last.path("size").asInt()) * 512));
        try (IsoReader iso = IsoReader.open(drive)) {
            assertThat(iso.volumeId()).isEqualTo("config-2");
            assertThat(new String(iso.readAllBytes("openstack/latest/meta_data.json"), StandardCharsets.UTF_8)).contains("\"node-1\"");
            assertThat(new String(iso.readAllBytes("openstack/latest/user_data"), StandardCharsets.UTF_8)).contains("hostname: node-1");
        }

        // the BMC: media ejected, boot override back to disk, server on and booted from its disk
        BmcState bmc = rig.bmc("node-1").state();
        assertThat(bmc.media()).noneMatch(SlotState::inserted);
        assertThat(bmc.boot().target()).isEqualTo("Hdd");
        assertThat(bmc.power()).isEqualTo(PowerState.ON);
        List<BootRecord> boots = servers.awaitBoots("node-1", 2, WAIT);
        assertThat(boots.get(0).source()).isEqualTo(BootSource.CD);
        assertThat(boots.get(0).outcome()).isEqualTo(new BootRecord.AgentExited(0));
        assertThat(boots.get(0).mediaLabels()).containsValues("SHOAL-TASK", "SHOAL-MAINT");
        assertThat(boots.get(1).outcome()).isInstanceOfSatisfying(BootRecord.DiskBooted.class, d -> {
            assertThat(d.disk().bootable()).isTrue();
            assertThat(d.disk().configDrivePartition()).isPresent();
        });

        // the job's secrets are gone: the BMC password and user data erased, the agent's token revoked
        Path db = dir.resolve("controller/db/provisioner.db");
        assertThat(DebianTools.run(null, "sqlite3", db.toString(),
                "SELECT bmc_password IS NULL, recipe_secrets IS NULL FROM jobs; SELECT count(*) FROM agent_credentials;").out().lines())
                .containsExactly("1|1", "0");
    }

    @Test
    void anImageInTheControllersOwnRegistryIsPulledWithTheJobsCredential() throws Exception {
        Path users = dir.resolve("registry-users.htpasswd");
        Files.writeString(users, "pusher:" + DebianTools.htpasswdBcrypt("push-pw", 5) + "\n");
        ProvisioningRig rig = rig(Map.of(ConfigKey.ENABLE_REGISTRY, "true", ConfigKey.REGISTRY_AUTH_MODE, "basic",
                ConfigKey.REGISTRY_USERS_FILE, users.toString()), BmcSpec.of("node-1", Personality.DELL));
        URI self = rig.controller().app().controllerUrl();
        byte[] image = image();
        new OciPush(self, "pusher", "push-pw").diskImage("images/node-os", "1", "disk.raw", image);
        assertThat(rig.controller().client().send(HttpRequest.newBuilder(self.resolve("/v2/images/node-os/manifests/1")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).as("the registry wants credentials").isEqualTo(401);

        String id = rig.submit("node-1", recipe("oci://" + self.getRawAuthority() + "/images/node-os:1", "sha256:" + sha256(image), "node-1"));
        JsonNode job = rig.awaitState(id, ProvisioningRig.TERMINAL, WAIT);
        assertThat(job.path("state").asText()).as(ProvisioningRig.describe(rig.events(id))).isEqualTo("complete");
        byte[] disk = Files.readAllBytes(servers.disk("node-1"));
        int from = 2048 * 512;
        int to = (2048 + 8192) * 512;
        assertThat(sha256(java.util.Arrays.copyOfRange(disk, from, to))).isEqualTo(sha256(java.util.Arrays.copyOfRange(image, from, to)));
        assertThat(Files.readString(servers.agentLog("node-1"))).doesNotContain("job-" + id + ":");
    }

    @Test
    void aWrongChecksumFailsAtVerifyImageAndTheDiskIsWiped() throws Exception {
        ProvisioningRig rig = rig(Map.of(), BmcSpec.of("node-1", Personality.HPE));
        byte[] image = image();
        String id = rig.submit("node-1", recipe(publish(rig, "disk.raw", image), "sha256:" + "ab".repeat(32), "node-1"));
        JsonNode job = rig.awaitState(id, ProvisioningRig.TERMINAL, WAIT);
        assertThat(job.path("state").asText()).isEqualTo("failed");
        assertThat(job.path("error").path("step").asText()).isEqualTo("verify-image");
        assertThat(job.path("error").path("message").asText()).containsIgnoringCase("checksum");
        byte[] head = new byte[1 << 20];
        try (RandomAccessFile f = new RandomAccessFile(servers.disk("node-1").toFile(), "r")) {
            f.readFully(head);
        }
        assertThat(head).as("the disk's first MiB was zeroed").containsOnly((byte) 0);
        EngineWithBmcTest.assertPoweredOffAndEmpty(rig.bmc("node-1").state());
    }

    @Test
    void anUnreachableImageFailsNamingTheUrl() throws Exception {
        ProvisioningRig rig = rig(Map.of(), BmcSpec.of("node-1", Personality.SUPERMICRO));
        String id = rig.submit("node-1", recipe("http://127.0.0.1:9/nowhere.raw", "sha256:" + "ab".repeat(32), "node-1"));
        JsonNode job = rig.awaitState(id, ProvisioningRig.TERMINAL, WAIT);
        assertThat(job.path("state").asText()).isEqualTo("failed");
        assertThat(job.path("error").path("message").asText()).contains("127.0.0.1:9");
        EngineWithBmcTest.assertPoweredOffAndEmpty(rig.bmc("node-1").state());
    }

    @Test
    void anAgentThatHeartbeatsButMakesNoProgressFailsAfterTheStuckTimeout() throws Exception {
        ProvisioningRig rig = rig(Map.of(ConfigKey.JOB_STUCK_TIMEOUT, "4s", ConfigKey.JOB_LEASE_TTL, "2s",
                ConfigKey.AGENT_HEARTBEAT_TIMEOUT, "8s"), BmcSpec.of("node-1", Personality.GENERIC));
        String id = rig.submit("node-1", recipe(stallingImage(), "sha256:" + "ab".repeat(32), "node-1"));
        JsonNode job = rig.awaitState(id, ProvisioningRig.TERMINAL, WAIT);
        assertThat(job.path("state").asText()).isEqualTo("failed");
        assertThat(job.path("error").path("message").asText()).contains("no progress", "JOB_STUCK_TIMEOUT (4s)");
        EngineWithBmcTest.assertPoweredOffAndEmpty(rig.bmc("node-1").state());
        BootRecord cd = servers.awaitBoots("node-1", 1, WAIT).getFirst();
        assertThat(cd.outcome()).as("powering off stopped the agent").isInstanceOf(BootRecord.Stopped.class);
    }

    @Test
    void cancelWhileTheAgentDownloadsStopsItAndEndsCancelled() throws Exception {
        ProvisioningRig rig = rig(Map.of(), BmcSpec.of("node-1", Personality.LENOVO));
        String id = rig.submit("node-1", recipe(stallingImage(), "sha256:" + "ab".repeat(32), "node-1"));
        long end = System.nanoTime() + WAIT.toNanos();
        while (!ProvisioningRig.describe(rig.events(id)).contains("write-image")) {
            assertThat(System.nanoTime()).as("the agent started writing").isLessThan(end);
            Thread.sleep(100);
        }
        assertThat(rig.controller().post("/api/v1/jobs/" + id + "/cancel", "").statusCode()).isEqualTo(202);
        JsonNode job = rig.awaitState(id, ProvisioningRig.TERMINAL, WAIT);
        assertThat(job.path("state").asText()).isEqualTo("cancelled");
        EngineWithBmcTest.assertPoweredOffAndEmpty(rig.bmc("node-1").state());
        assertThat(servers.awaitBoots("node-1", 1, WAIT).getFirst().outcome()).isInstanceOf(BootRecord.Stopped.class);
    }

    /** An image URL whose server accepts the connection and never answers: a download that makes no progress. */
    String stallingImage() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        List<Socket> held = new ArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                while (!server.isClosed()) {
                    held.add(server.accept());
                }
            } catch (java.io.IOException e) {
                // closed at the end of the test
            }
        });
        open.add(() -> {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        });
        return "http://127.0.0.1:" + server.getLocalPort() + "/stalls.raw";
    }
}

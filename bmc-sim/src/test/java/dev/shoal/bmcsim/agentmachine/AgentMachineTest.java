package dev.shoal.bmcsim.agentmachine;

import dev.shoal.agent.report.RetryPolicy;
import dev.shoal.bmcsim.BmcSimulator;
import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.SimulatedBmc;
import dev.shoal.bmcsim.SimulatorConfig;
import dev.shoal.bmcsim.agentmachine.BootRecord.AgentExited;
import dev.shoal.bmcsim.agentmachine.BootRecord.DiskBooted;
import dev.shoal.bmcsim.agentmachine.BootRecord.Failed;
import dev.shoal.bmcsim.agentmachine.BootRecord.Stopped;
import dev.shoal.bmcsim.agentmachine.Provisioning.Job;
import dev.shoal.bmcsim.machine.BootContext;
import dev.shoal.bmcsim.machine.BootMode;
import dev.shoal.bmcsim.machine.BootSource;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.bmcsim.support.FakeController;
import dev.shoal.bmcsim.support.Http;
import dev.shoal.bmcsim.support.ImageServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.shoal.bmcsim.agentmachine.Provisioning.provision;
import static dev.shoal.bmcsim.agentmachine.Provisioning.random;
import static dev.shoal.bmcsim.agentmachine.Provisioning.rawRecipe;
import static dev.shoal.bmcsim.agentmachine.Provisioning.sha256;
import static dev.shoal.bmcsim.agentmachine.Provisioning.taskIso;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The simulated server with the real agent: a real simulator driven over Redfish, media and image from a real HTTP
 * server, callbacks to {@link FakeController} (a stand-in: bmc-sim cannot depend on the controller).
 */
class AgentMachineTest {
    static final long MIB = 1 << 20;
    static final Duration BOOT = Duration.ofSeconds(60);

    @TempDir
    Path work;
    ImageServer files;
    FakeController controller;
    AgentMachine machine;
    BmcSimulator sim;
    byte[] maintenanceIso;
    String maintenance;

    @BeforeEach
    void start() throws Exception {
        files = ImageServer.http();
        controller = new FakeController();
        machine = new AgentMachine(AgentMachineConfig.of(work).withDiskBytes(8 * MIB)
                .withRetry(new RetryPolicy(2, Duration.ofMillis(50), Duration.ofMillis(50))));
        sim = BmcSimulator.start(SimulatorConfig.of(BmcSpec.of("node1", Personality.GENERIC)).withMachine(machine));
        maintenanceIso = Provisioning.maintenanceIso();
        maintenance = files.put("/maint.iso", maintenanceIso);
    }

    @AfterEach
    void stop() {
        sim.close();
        machine.close();
        controller.close();
        files.close();
    }

    SimulatedBmc node() {
        return sim.bmc("node1");
    }

    String task(Job job, String recipe, String more) throws Exception {
        controller.job(job.id(), job.token());
        return files.put("/task.iso", taskIso(job, controller.base(), recipe, more));
    }

    @Test
    void aCdBootRunsTheAgentWhichWritesTheImageAndTheNextDiskBootFindsIt() throws Exception {
        byte[] image = random(3 * (int) MIB + 123, 42);
        Job job = Job.random();
        String task = task(job, rawRecipe(files.put("/os.raw", image), image), "");

        provision(node(), maintenance, task);
        BootRecord boot = machine.awaitBoots("node1", 1, BOOT).getFirst();

        assertThat(boot.outcome()).as(boot.describe() + "\n" + log()).isEqualTo(new AgentExited(0));
        assertThat(boot.source()).isEqualTo(BootSource.CD);
        assertThat(boot.mediaLabels()).containsExactly(Map.entry("CD1", "DEBIAN_LIVE"), Map.entry("Floppy1", "SHOAL-TASK"));
        Path disk = machine.disk("node1");
        assertThat(disk).isEqualTo(work.resolve("node1/disk.img"));
        assertThat(Files.size(disk)).as("the disk keeps its size").isEqualTo(8 * MIB);
        assertThat(sha256(Arrays.copyOf(Files.readAllBytes(disk), image.length))).isEqualTo(sha256(image));

        List<FakeController.Event> events = controller.events(job.id());
        assertThat(events.getFirst().json().path("message").asText()).isEqualTo("agent started");
        assertThat(events.getLast().type()).isEqualTo("succeeded");
        assertThat(controller.refused()).isZero();
        assertThat(machine.agentsRunning()).isZero();

        // The BMC read the media as a BMC does: ranges of at most 64 KiB, every one answered 206, all of each ISO.
        for (String path : List.of("/maint.iso", "/task.iso")) {
            List<ImageServer.Hit> hits = files.hits(path);
            assertThat(hits).as(path).allSatisfy(h -> {
                assertThat(h.range()).startsWith("bytes=");
                assertThat(h.status()).isEqualTo(206);
                assertThat(h.bytes()).isLessThanOrEqualTo(64 * 1024);
            });
        }
        assertThat(files.hits("/maint.iso").stream().filter(h -> h.range().startsWith("bytes=131072-"))).hasSize(1);
        assertThat(sha256(Files.readAllBytes(work.resolve("node1/media/CD1.iso")))).as("the BMC's copy of the CD")
                .isEqualTo(sha256(maintenanceIso));
        assertThat(files.hits("/os.raw")).singleElement().satisfies(h -> assertThat(h.status()).isEqualTo(200));
        assertThat(log()).contains("boots the maintenance OS 'DEBIAN_LIVE' (slot CD1) with SHOAL-TASK (slot Floppy1)",
                "image written and verified", "=== agent exited with 0");

        // The one-time override is spent: the next reset boots the disk the agent wrote.
        Provisioning.reset(Provisioning.redfish(node()), "ForceRestart");
        BootRecord second = machine.awaitBoots("node1", 2, BOOT).get(1);
        assertThat(second.source()).isEqualTo(BootSource.HDD);
        String diskSha = sha256File(disk);
        assertThat(second.outcome()).isInstanceOfSatisfying(DiskBooted.class, d -> {
            assertThat(d.disk().bootable()).isTrue();
            assertThat(d.disk().sizeBytes()).isEqualTo(8 * MIB);
            assertThat(d.disk().sha256()).isEqualTo(diskSha);
            assertThat(d.disk().partitionTable()).isEqualTo("none");
            assertThat(d.disk().configDrivePartition()).isEmpty();
        });
        assertThat(controller.events(job.id())).as("a disk boot reports nothing").hasSize(events.size());
    }

    @Test
    void theDiskBootFindsTheConfigDriveTheAgentAdded() throws Exception {
        byte[] image = gptImage();
        Job job = Job.random();
        String recipe = """
                {"kind": "image", "url": "%s", "checksum": "sha256:%s", "format": "raw",
                 "config_drive": {"meta_data": {"uuid": "u-1", "hostname": "node1"}}}""".formatted(files.put("/os.raw", image), sha256(image));

        provision(node(), maintenance, task(job, recipe, ""));
        BootRecord boot = machine.awaitBoots("node1", 1, BOOT).getFirst();
        assertThat(boot.outcome()).as(boot.describe() + "\n" + log()).isEqualTo(new AgentExited(0));

        Provisioning.reset(Provisioning.redfish(node()), "ForceRestart");
        assertThat(machine.awaitBoots("node1", 2, BOOT).get(1).outcome()).isInstanceOfSatisfying(DiskBooted.class, d -> {
            assertThat(d.disk().partitionTable()).isEqualTo("gpt");
            assertThat(d.disk().configDrivePartition()).hasValue(2);
            assertThat(d.disk().description()).contains("config-2 on partition 2");
        });
    }

    @Test
    void powerOffStopsTheRunningAgentAndNothingIsReportedAfterwards() throws Exception {
        byte[] image = random(4 * (int) MIB, 3);
        files.slow("/os.raw", Duration.ofMillis(200)); // about 13 s to serve
        Job job = Job.random();
        String task = task(job, rawRecipe(files.put("/os.raw", image), image), ", \"heartbeat_interval_seconds\": 1");

        provision(node(), maintenance, task);
        await().atMost(BOOT).until(() -> machine.agentsRunning() == 1
                && controller.events(job.id()).stream().anyMatch(e -> e.type().equals("heartbeat")));
        Provisioning.reset(Provisioning.redfish(node()), "ForceOff");

        BootRecord boot = machine.awaitBoots("node1", 1, Duration.ofSeconds(10)).getFirst();
        assertThat(boot.outcome()).isInstanceOfSatisfying(Stopped.class,
                s -> assertThat(s.reason()).startsWith("powered off while the agent ran"));
        assertThat(machine.agentsRunning()).isZero();
        int seen = controller.events(job.id()).size();
        Thread.sleep(2500); // the task's heartbeat is 1 s: a live agent would have called twice by now
        assertThat(controller.events(job.id())).hasSize(seen);
        assertThat(controller.events(job.id())).noneMatch(e -> e.type().equals("succeeded"));
        assertThat(log()).contains("heartbeat every 1 s, as task.json asks", "(interrupted: power off or reset)");
    }

    @Test
    void aResetDuringARunStopsTheOldAgentBeforeTheNewBoot() throws Exception {
        byte[] image = random(4 * (int) MIB, 4);
        files.slow("/os.raw", Duration.ofMillis(200));
        Job job = Job.random();
        String task = task(job, rawRecipe(files.put("/os.raw", image), image), "");
        Http c = Provisioning.redfish(node());
        Provisioning.insert(c, "CD1", maintenance);
        Provisioning.insert(c, "Floppy1", task);
        Provisioning.bootOverride(c, "Cd", "Continuous");
        Provisioning.reset(c, "On");
        await().atMost(BOOT).until(() -> machine.agentsRunning() == 1);

        Provisioning.reset(c, "ForceRestart");

        List<BootRecord> boots = machine.awaitBoots("node1", 1, Duration.ofSeconds(10));
        assertThat(boots.getFirst().outcome()).isInstanceOfSatisfying(Stopped.class,
                s -> assertThat(s.reason()).startsWith("a reset began a new boot while the agent ran"));
        await().atMost(BOOT).until(() -> machine.agentsRunning() == 1); // the second boot's agent, not both
        machine.poweredOff("node1");
        assertThat(machine.awaitBoots("node1", 2, Duration.ofSeconds(10)).get(1).outcome()).isInstanceOf(Stopped.class);
        assertThat(machine.agentsRunning()).isZero();
    }

    @Test
    void withoutATaskIsoTheServerHangsInFirmwareAndReportsNothing() throws Exception {
        Http c = Provisioning.redfish(node());
        Provisioning.insert(c, "CD1", maintenance);
        Provisioning.bootOverride(c, "Cd", "Once");
        Provisioning.reset(c, "On");

        BootRecord boot = machine.awaitBoots("node1", 1, BOOT).getFirst();

        assertThat(boot.outcome()).isInstanceOfSatisfying(Failed.class, f -> assertThat(f.reason())
                .contains("no SHOAL-TASK medium among {CD1=DEBIAN_LIVE}").contains("nothing is reported"));
        assertThat(controller.events()).isEmpty();
        assertThat(machine.agentLog("node1")).doesNotExist();
        assertThat(Files.size(machine.disk("node1"))).as("the server has its disk all the same").isEqualTo(8 * MIB);
    }

    @Test
    void aMediaServerThatIgnoresRangeFailsTheBoot() throws Exception {
        Job job = Job.random();
        String task = task(job, rawRecipe(files.put("/os.raw", new byte[4096]), new byte[4096]), "");
        files.ignoreRange("/task.iso");

        provision(node(), maintenance, task);
        BootRecord boot = machine.awaitBoots("node1", 1, BOOT).getFirst();

        assertThat(boot.outcome()).isInstanceOfSatisfying(Failed.class, f -> assertThat(f.reason())
                .contains("slot Floppy1").contains("was answered HTTP 200").contains("ignores Range"));
        assertThat(boot.mediaLabels()).containsExactly(Map.entry("CD1", "DEBIAN_LIVE"));
        assertThat(controller.events()).isEmpty();
    }

    @Test
    void aCdBootWithoutMediaOrWithAMissingImageFails() throws Exception {
        machine.boot(new BootContext("node9", BootSource.CD, Map.of(), BootMode.UEFI));
        assertThat(machine.awaitBoots("node9", 1, BOOT).getFirst().outcome())
                .isEqualTo(new Failed("no media inserted: the firmware has no CD to boot"));

        machine.boot(new BootContext("node9", BootSource.CD, Map.of("CD1", files.url("/gone.iso")), BootMode.UEFI));
        assertThat(machine.awaitBoots("node9", 2, BOOT).get(1).outcome()).isInstanceOfSatisfying(Failed.class,
                f -> assertThat(f.reason()).contains("slot CD1").contains("/gone.iso").contains("HTTP 404"));

        machine.boot(new BootContext("node9", BootSource.CD, Map.of("CD1", files.put("/zeros.iso", new byte[100_000]),
                "Floppy1", task(Job.random(), rawRecipe("http://127.0.0.1:1/x", new byte[1]), "")), BootMode.UEFI));
        BootRecord third = machine.awaitBoots("node9", 3, BOOT).get(2);
        assertThat(third.mediaLabels()).containsEntry("CD1", BootRecord.NOT_ISO).containsEntry("Floppy1", "SHOAL-TASK");
        assertThat(third.outcome()).isInstanceOfSatisfying(Failed.class,
                f -> assertThat(f.reason()).startsWith("no maintenance OS"));
    }

    @Test
    void aDiskBootOfANewServerFindsABlankDisk() throws Exception {
        Provisioning.reset(Provisioning.redfish(node()), "On");

        BootRecord boot = machine.awaitBoots("node1", 1, BOOT).getFirst();

        assertThat(boot.source()).isEqualTo(BootSource.HDD);
        assertThat(boot.outcome()).isInstanceOfSatisfying(DiskBooted.class, d -> {
            assertThat(d.disk().bootable()).isFalse();
            assertThat(d.disk().sha256()).isEqualTo(sha256(new byte[8 * (int) MIB]));
            assertThat(d.disk().description()).contains("nothing to boot");
        });
    }

    private String log() throws Exception {
        Path log = machine.agentLog("node1");
        return Files.exists(log) ? Files.readString(log) : "(no agent log)";
    }

    private static String sha256File(Path f) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), d)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** A 4 MiB disk image with a GPT and one partition, made by sfdisk itself. */
    private byte[] gptImage() throws Exception {
        Path img = work.resolve("gpt.img");
        try (var f = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            f.setLength(4 * MIB);
        }
        Process p = new ProcessBuilder(sfdisk(), "-q", img.toString()).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write("label: gpt\nstart=2048, size=4096, type=L\n".getBytes());
        }
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return Files.readAllBytes(img);
    }

    private static String sfdisk() {
        for (String dir : (System.getenv("PATH") + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "sfdisk"))) {
                return Path.of(dir, "sfdisk").toString();
            }
        }
        throw new AssertionError("sfdisk is missing: apt-get install fdisk");
    }
}

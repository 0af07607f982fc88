package dev.shoal.agent;

import dev.shoal.agent.configdrive.Sfdisk;
import dev.shoal.agent.disk.FakeSysfs;
import dev.shoal.agent.image.QemuImg;
import dev.shoal.agent.report.RetryPolicy;
import dev.shoal.iso.IsoWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent without {@code --task} and {@code --disk}: it finds the SHOAL-TASK volume and picks the disk from the
 * root device hints. The machine is faked in a temporary directory: ISO files stand in for CD drives, a fake sysfs
 * tree ({@link FakeSysfs}) for the disks, and plain files under the fake /dev for the disk devices — stand-ins for
 * hardware that cannot exist on a build machine.
 */
class AgentDiscoveryTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    FakeController controller;
    FakeSysfs fs;
    Path drives;
    final List<Duration> sleeps = new ArrayList<>();
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        controller = new FakeController();
        fs = new FakeSysfs(dir.resolve("machine"));
        drives = Files.createDirectories(dir.resolve("drives"));
        fs.disk("sda").gib(500).rotational(true).serial("HDD1");
        fs.disk("sdb").gib(240).rotational(false).serial("SSD1");
        fs.disk("sdc").gib(120).rotational(false).serial("SSD2");
        for (String n : List.of("sda", "sdb", "sdc")) {
            fill(fs.dev.resolve(n), 0x55);
        }
    }

    @AfterEach
    void stop() {
        controller.close();
    }

    private static void fill(Path p, int b) throws Exception {
        byte[] bytes = new byte[2 * MIB];
        Arrays.fill(bytes, (byte) b);
        Files.write(p, bytes);
    }

    private void taskIso(String name, String label, String rootDevice, byte[] image) throws Exception {
        Path img = Files.write(dir.resolve("os.raw"), image);
        String sha = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
        String task = """
                {"job_id": "%s", "controller_url": "%s", "agent_token": "%s", "job_key": "%s",
                 "recipe": {"kind": "image", "url": "%s", "checksum": "%s", "format": "raw"%s}}""".formatted(
                FakeController.JOB_ID, controller.base(), FakeController.TOKEN, FakeController.KEY_HEX,
                controller.serve("os.raw", img), sha, rootDevice == null ? "" : ", \"root_device\": " + rootDevice);
        IsoWriter.builder().volumeId(label).file("task.json", task).build().writeTo(drives.resolve(name));
    }

    private int run(String... args) {
        Agent agent = new Agent(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10)), new QemuImg(Optional.empty()),
                new Sfdisk(Optional.empty()), dir, Duration.ofMillis(1), new PrintStream(stderr, true, StandardCharsets.UTF_8),
                new Agent.Discovery(fs.devices(), () -> dev.shoal.agent.task.TaskFinder.glob(drives, "sr*"), sleeps::add));
        return agent.run(AgentOptions.parse(args));
    }

    private static boolean untouched(Path p) throws Exception {
        for (byte b : Files.readAllBytes(p)) {
            if (b != 0x55) {
                return false;
            }
        }
        return true;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    @Test
    void findsTheTaskCdAndWritesTheDiskTheHintsSelect() throws Exception {
        byte[] image = random(MIB + 17);
        taskIso("sr0", "CONFIG-2", null, new byte[1]);
        taskIso("sr1", "SHOAL-TASK", "{\"rotational\": false, \"prefer\": \"largest\"}", image);

        int rc = run("--task-attempts", "2", "--task-interval", "10ms");

        assertThat(rc).as(stderr.toString()).isZero();
        assertThat(Arrays.equals(Arrays.copyOf(Files.readAllBytes(fs.dev.resolve("sdb")), image.length), image)).isTrue();
        assertThat(untouched(fs.dev.resolve("sda"))).as("%s untouched", fs.dev.resolve("sda")).isTrue();
        assertThat(untouched(fs.dev.resolve("sdc"))).as("%s untouched", fs.dev.resolve("sdc")).isTrue();
        assertThat(stderr.toString()).contains("reading the task from " + drives.resolve("sr1"));
        var logs = controller.events("log").stream().map(e -> e.json().get("message").asText()).toList();
        assertThat(logs).anySatisfy(m -> assertThat(m).startsWith("selected " + fs.dev.resolve("sdb"))
                .contains("rotational=false, prefer=largest").contains("rotational, hint asks for rotational false"));
        assertThat(controller.events().getLast().json().get("message").asText()).contains("written to " + fs.dev.resolve("sdb"));
    }

    @Test
    void noMatchingDiskFailsTheSelectDiskStepWithTheCandidates() throws Exception {
        taskIso("sr0", "SHOAL-TASK", "{\"serial\": \"NOPE\"}", random(1000));

        assertThat(run()).isEqualTo(1);

        var last = controller.events().getLast();
        assertThat(last.type()).isEqualTo("failed");
        assertThat(last.json().get("step").asText()).isEqualTo("select-disk");
        assertThat(last.json().get("message").asText()).contains("no disk matches root device hints {serial=NOPE}")
                .contains("serial SSD2 is not NOPE").contains("serial HDD1 is not NOPE");
        for (String n : List.of("sda", "sdb", "sdc")) {
            assertThat(untouched(fs.dev.resolve(n))).as("%s untouched", fs.dev.resolve(n)).isTrue();
        }
    }

    @Test
    void diskOverridesHintsAndTaskOverridesTheScan() throws Exception {
        byte[] image = random(2000);
        taskIso("task.iso", "SHOAL-TASK", "{\"serial\": \"SSD1\"}", image);

        int rc = run("--task", drives.resolve("task.iso").toString(), "--disk", fs.dev.resolve("sdc").toString());

        assertThat(rc).as(stderr.toString()).isZero();
        assertThat(Arrays.equals(Arrays.copyOf(Files.readAllBytes(fs.dev.resolve("sdc")), image.length), image)).isTrue();
        assertThat(untouched(fs.dev.resolve("sdb"))).as("%s untouched", fs.dev.resolve("sdb")).isTrue();
        assertThat(controller.events("log").stream().map(e -> e.json().get("message").asText()))
                .contains("--disk " + fs.dev.resolve("sdc") + " overrides the task's root device hints");
    }

    @Test
    void noTaskVolumeIsAnErrorOnStderrAfterTheAttempts() throws Exception {
        taskIso("sr0", "CONFIG-2", null, new byte[1]);

        assertThat(run("--task-attempts", "3", "--task-interval", "5s")).isEqualTo(1);

        assertThat(stderr.toString()).contains("no SHOAL-TASK volume found after 3 attempt(s) 5000 ms apart")
                .contains(drives.resolve("sr0") + ": volume CONFIG-2");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(controller.events()).isEmpty();
    }
}

package dev.shoal.controller.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code shoal-controller bmc-sim}, run in-process: it serves until its thread is interrupted. */
class BmcSimCommandTest {
    private static final Pattern BMC_LINE = Pattern.compile("(?m)^(\\S+)\\s+generic\\s+(http://\\S+)\\s+user (\\S+) password (\\S+)$");
    private static final Pattern WORK_DIR = Pattern.compile("machine: agent, work dir (\\S+) ");

    @TempDir
    Path tmp;

    /** A command running on its own thread, with its output so far. */
    record Running(Thread thread, ByteArrayOutputStream out, ByteArrayOutputStream err, AtomicInteger exit) {
        String output() {
            return out.toString(StandardCharsets.UTF_8);
        }

        int stop() throws InterruptedException {
            thread.interrupt();
            assertThat(thread.join(Duration.ofSeconds(20))).as("bmc-sim stops when interrupted").isTrue();
            return exit.get();
        }
    }

    static Running start(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread t = Thread.ofPlatform().name("bmc-sim-command").start(() -> exit.set(Cli.run(args,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), Map.of())));
        return new Running(t, out, err, exit);
    }

    static Running started(String... args) {
        Running r = start(args);
        await().atMost(Duration.ofSeconds(20)).until(() -> BMC_LINE.matcher(r.output()).find() || !r.thread().isAlive());
        assertThat(r.thread().isAlive()).as("still serving; err: %s", r.err()).isTrue();
        return r;
    }

    static int runToEnd(String... args) throws InterruptedException {
        Running r = start(args);
        assertThat(r.thread().join(Duration.ofSeconds(20))).isTrue();
        return r.exit().get();
    }

    @Test
    void agentMachineGivesEachServerADiskOfTheGivenSizeInTheWorkDir() throws Exception {
        Path work = tmp.resolve("work");
        Running r = started("bmc-sim", "--machine", "agent", "--work-dir", work.toString(), "--disk-size", "2M",
                "--count", "2", "--power-delay", "0s");
        try {
            assertThat(r.output()).contains("machine: agent, work dir " + work + " ({name}/disk.img of 2097152 bytes");
            Matcher bmc = BMC_LINE.matcher(r.output());
            assertThat(bmc.find()).isTrue();
            assertThat(bmc.group(1)).isEqualTo("generic-1");

            // A power-on without a CD override boots the disk: the server's disk exists from then on.
            assertThat(powerOn(URI.create(bmc.group(2)), bmc.group(3), bmc.group(4))).isEqualTo(204);

            Path disk = work.resolve("generic-1/disk.img");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(disk));
            assertThat(Files.size(disk)).isEqualTo(2L << 20);
            assertThat(work.resolve("generic-2/disk.img")).as("never powered on").doesNotExist();
        } finally {
            assertThat(r.stop()).isZero();
        }
    }

    @Test
    void agentMachineDefaultsToANewTemporaryWorkDirAnd64MiBDisks() throws Exception {
        Running r = started("bmc-sim", "--machine", "agent", "--power-delay", "0s");
        Path work = null;
        try {
            Matcher m = WORK_DIR.matcher(r.output());
            assertThat(m.find()).as(r.output()).isTrue();
            work = Path.of(m.group(1));
            assertThat(work).isDirectory().startsWith(Path.of(System.getProperty("java.io.tmpdir")));
            assertThat(r.output()).contains("disk.img of 67108864 bytes");
        } finally {
            assertThat(r.stop()).isZero();
            if (work != null) {
                try (Stream<Path> files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    void theRecordingMachineStaysTheDefault() throws Exception {
        Running r = started("bmc-sim", "--power-delay", "0s");
        assertThat(r.output()).doesNotContain("machine:");
        assertThat(r.stop()).isZero();
    }

    @Test
    void badMachineOptionsAreUsageErrors() throws Exception {
        assertThat(runToEnd("bmc-sim", "--machine", "vm")).isEqualTo(Exit.USAGE);
        assertThat(runToEnd("bmc-sim", "--work-dir", tmp.toString())).isEqualTo(Exit.USAGE);
        assertThat(runToEnd("bmc-sim", "--disk-size", "8M")).isEqualTo(Exit.USAGE);
        assertThat(runToEnd("bmc-sim", "--machine", "agent", "--work-dir", tmp.toString(), "--disk-size", "12Q")).isEqualTo(Exit.USAGE);
        assertThat(runToEnd("bmc-sim", "--machine", "agent", "--work-dir", tmp.toString(), "--disk-size", "1000")).isEqualTo(Exit.USAGE);

        Running r = start("bmc-sim", "--machine", "agent", "--work-dir", tmp.toString(), "--disk-size", "1000");
        r.thread().join(Duration.ofSeconds(20));
        assertThat(r.err().toString(StandardCharsets.UTF_8)).contains("--disk-size: the disk size must be at least 1 MiB");
        r = start("bmc-sim", "--work-dir", tmp.toString());
        r.thread().join(Duration.ofSeconds(20));
        assertThat(r.err().toString(StandardCharsets.UTF_8)).contains("--work-dir and --disk-size apply to --machine agent only");
        r = start("bmc-sim", "--machine", "vm");
        r.thread().join(Duration.ofSeconds(20));
        assertThat(r.err().toString(StandardCharsets.UTF_8)).contains("--machine").contains("recording, agent");
    }

    private static int powerOn(URI base, String user, String password) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest req = HttpRequest.newBuilder(base.resolve("/redfish/v1/Systems/437XR1138R2/Actions/ComputerSystem.Reset"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                            .getBytes(StandardCharsets.UTF_8)))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"ResetType\": \"On\"}")).build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}

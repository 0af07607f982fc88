package dev.shoal.agent;

import dev.shoal.agent.configdrive.Disks;
import dev.shoal.agent.configdrive.Sfdisk;
import dev.shoal.agent.image.QemuImg;
import dev.shoal.agent.report.RetryPolicy;
import io.airlift.compress.zstd.ZstdOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class AgentTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;
    FakeController controller;
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws IOException {
        controller = new FakeController();
    }

    @AfterEach
    void stop() {
        controller.close();
    }

    private int run(URI url, String checksum, String format, Path disk) throws IOException {
        return run("""
                {"kind": "image", "url": "%s", "checksum": "%s", "format": "%s"}""".formatted(url, checksum, format), disk);
    }

    private int run(String recipe, Path disk) throws IOException {
        return run(recipe, disk, Sfdisk.onPath(System.getenv("PATH")));
    }

    private int run(String recipe, Path disk, Sfdisk sfdisk) throws IOException {
        return run(recipe, "", disk, sfdisk);
    }

    /** {@code moreFields}: further top-level task.json fields, as {@code , "name": value}. */
    private int run(String recipe, String moreFields, Path disk, Sfdisk sfdisk) throws IOException {
        Path taskDir = Files.createDirectories(dir.resolve("cd"));
        Files.writeString(taskDir.resolve("task.json"), """
                {"job_id": "%s", "controller_url": "%s", "agent_token": "%s", "job_key": "%s", "recipe": %s%s}"""
                .formatted(FakeController.JOB_ID, controller.base(), FakeController.TOKEN, FakeController.KEY_HEX, recipe,
                        moreFields));
        Agent agent = new Agent(new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10)), new QemuImg(Optional.empty()),
                sfdisk, dir, Duration.ofMillis(1), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        return agent.run(AgentOptions.parse("--task", taskDir.toString(), "--disk", disk.toString(), "--heartbeat", "10s"));
    }

    private Path disk(int bytes, int fill) throws IOException {
        byte[] b = new byte[bytes];
        Arrays.fill(b, (byte) fill);
        return Files.write(dir.resolve("disk.img"), b);
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private FakeController.Received last() {
        List<FakeController.Received> all = controller.events();
        return all.getLast();
    }

    @Test
    void writesARawImageByteForByteAndReportsSignedCallbacksInOrder() throws Exception {
        byte[] image = random(3 * MIB + 123);
        Path disk = disk(8 * MIB, 0x55);

        int rc = run(controller.serve("os.raw", file("os.raw", image)), sha256(image), "raw", disk);

        assertThat(rc).as(stderr.toString()).isZero();
        byte[] after = Files.readAllBytes(disk);
        assertThat(after).hasSize(8 * MIB); // never truncated
        assertThat(Arrays.copyOf(after, image.length)).isEqualTo(image);
        assertThat(after[image.length]).isEqualTo((byte) 0x55);

        List<FakeController.Received> events = controller.events();
        assertThat(events.getFirst().type()).isEqualTo("log");
        assertThat(events.getFirst().json().get("message").asText()).isEqualTo("agent started");
        assertThat(last().type()).isEqualTo("succeeded");
        assertThat(last().json().get("step").asText()).isEqualTo("write-image");
        assertThat(last().json().get("message").asText()).contains(sha256(image));
        for (FakeController.Received e : events) {
            assertThat(e.authorization()).isEqualTo("Bearer " + FakeController.TOKEN);
            assertThat(FakeController.validSignature(e)).as("signature of %s", new String(e.body())).isTrue();
        }
        List<Long> seqs = events.stream().map(e -> e.json().get("seq").asLong()).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        assertThat(seqs.getFirst()).isGreaterThan(System.currentTimeMillis() - 60_000);
        var progress = controller.events("progress");
        assertThat(progress).isNotEmpty();
        assertThat(progress.getLast().json().get("progress").get("done").asLong()).isEqualTo(image.length);
        assertThat(progress.getLast().json().get("progress").get("total").asLong()).isEqualTo(image.length);
    }

    @Test
    void heartbeatsAtTheIntervalTheTaskAsksForInsteadOfTheOption() throws Exception {
        byte[] image = random(MIB);
        controller.imageDelay = Duration.ofMillis(2500); // the option says 10 s: only the task's 1 s can beat in this
        String recipe = """
                {"kind": "image", "url": "%s", "checksum": "%s", "format": "raw"}"""
                .formatted(controller.serve("os.raw", file("os.raw", image)), sha256(image));

        int rc = run(recipe, ", \"heartbeat_interval_seconds\": 1", disk(2 * MIB, 0), Sfdisk.onPath(System.getenv("PATH")));

        assertThat(rc).as(stderr.toString()).isZero();
        assertThat(controller.events("heartbeat")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(last().type()).isEqualTo("succeeded");
        assertThat(stderr.toString()).contains("heartbeat every 1 s, as task.json asks");
    }

    @Test
    void anInvalidHeartbeatIntervalIsReportedAsABadTask() throws Exception {
        Path disk = disk(MIB, 0x33);

        int rc = run("""
                {"kind": "image", "url": "http://127.0.0.1:1/os.raw", "checksum": "sha256:%s", "format": "raw"}"""
                .formatted("1".repeat(64)), ", \"heartbeat_interval_seconds\": 0", disk, Sfdisk.onPath(System.getenv("PATH")));

        assertThat(rc).isEqualTo(1);
        assertThat(last().type()).isEqualTo("failed");
        assertThat(last().json().get("step").asText()).isEqualTo(Agent.READ_TASK);
        assertThat(last().json().get("message").asText())
                .contains("heartbeat_interval_seconds: must be a whole number of seconds from 1 to 3600");
        assertThat(controller.events("heartbeat")).isEmpty();
        assertThat(Files.readAllBytes(disk)).containsOnly((byte) 0x33);
    }

    @Test
    void decompressesGzipXzAndZstdAndVerifiesTheServedBytes() throws Exception {
        byte[] image = random(2 * MIB);
        for (String kind : List.of("gzip", "xz", "zstd")) {
            ByteArrayOutputStream packed = new ByteArrayOutputStream();
            try (OutputStream out = switch (kind) {
                case "gzip" -> new GZIPOutputStream(packed);
                case "xz" -> new XZOutputStream(packed, new LZMA2Options(1));
                default -> new ZstdOutputStream(packed);
            }) {
                out.write(image);
            }
            Path disk = disk(4 * MIB, 0);
            controller.events.clear();

            int rc = run(controller.serve("os." + kind, file("os." + kind, packed.toByteArray())),
                    sha256(packed.toByteArray()), "raw", disk);

            assertThat(rc).as(kind + ": " + stderr).isZero();
            assertThat(Arrays.copyOf(Files.readAllBytes(disk), image.length)).as(kind).isEqualTo(image);
            assertThat(last().json().get("message").asText()).contains("(" + kind + ")");
        }
    }

    @Test
    void wrongChecksumZeroesTheFirstMibAndFailsNamingExpectedAndGot() throws Exception {
        byte[] image = random(2 * MIB);
        Path disk = disk(4 * MIB, 0xaa);
        String wrong = "sha256:" + "0".repeat(64);

        int rc = run(controller.serve("os.raw", file("os.raw", image)), wrong, "raw", disk);

        assertThat(rc).isEqualTo(1);
        byte[] after = Files.readAllBytes(disk);
        assertThat(Arrays.copyOf(after, MIB)).containsOnly((byte) 0);
        assertThat(after[MIB]).isEqualTo(image[MIB]); // the rest was written, but nothing boots without its head
        FakeController.Received failed = last();
        assertThat(failed.type()).isEqualTo("failed");
        assertThat(failed.json().get("step").asText()).isEqualTo("verify-image");
        assertThat(failed.json().get("message").asText())
                .contains("expected " + wrong).contains("got " + sha256(image)).contains("first MiB was zeroed");
        assertThat(FakeController.validSignature(failed)).isTrue();
    }

    @Test
    void unreachableOrMissingImageFailsWithTheReason() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Path disk = disk(MIB, 0x11);

        int rc = run(URI.create("http://127.0.0.1:" + closedPort + "/os.raw"), "sha256:" + "1".repeat(64), "raw", disk);

        assertThat(rc).isEqualTo(1);
        assertThat(last().type()).isEqualTo("failed");
        assertThat(last().json().get("step").asText()).isEqualTo("download-image");
        assertThat(last().json().get("message").asText()).contains("cannot download http://127.0.0.1:" + closedPort)
                .contains("ConnectException");
        assertThat(Files.readAllBytes(disk)).containsOnly((byte) 0x11); // untouched

        controller.events.clear();
        rc = run(controller.base().resolve("/images/nope.raw"), "sha256:" + "1".repeat(64), "raw", disk);
        assertThat(rc).isEqualTo(1);
        assertThat(last().json().get("message").asText()).endsWith("HTTP 404");
    }

    @Test
    void refusesADiskSmallerThanTheImage() throws Exception {
        byte[] image = random(2 * MIB);
        Path disk = disk(MIB, 0x22);

        int rc = run(controller.serve("os.raw", file("os.raw", image)), sha256(image), "raw", disk);

        assertThat(rc).isEqualTo(1);
        assertThat(last().json().get("message").asText())
                .isEqualTo("image is " + image.length + " bytes but disk " + disk + " is only " + MIB + " bytes");
        assertThat(Files.readAllBytes(disk)).containsOnly((byte) 0x22);
    }

    @Test
    void aCompressedImageLargerThanTheDiskFailsAndZeroesTheHead() throws Exception {
        byte[] image = random(3 * MIB);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gz)) {
            out.write(image);
        }
        Path disk = disk(2 * MIB, 0x33);

        int rc = run(controller.serve("os.gz", file("os.gz", gz.toByteArray())), sha256(gz.toByteArray()), "raw", disk);

        assertThat(rc).isEqualTo(1);
        assertThat(last().json().get("message").asText()).contains("image is larger than disk").contains("first MiB was zeroed");
        assertThat(Arrays.copyOf(Files.readAllBytes(disk), MIB)).containsOnly((byte) 0);
    }

    @Test
    void qcow2WithoutQemuImgAndUnsupportedRecipesFailClearly() throws Exception {
        Path disk = disk(MIB, 0);
        assertThat(run(controller.base().resolve("/images/x.qcow2"), "sha256:" + "1".repeat(64), "qcow2", disk)).isEqualTo(1);
        assertThat(last().json().get("step").asText()).isEqualTo("convert-image");
        assertThat(last().json().get("message").asText()).contains("qcow2 needs qemu-img in the maintenance OS");

        assertThat(run("{\"kind\": \"bootc\", \"image\": \"quay.io/x/y:1\"}", disk)).isEqualTo(1);
        assertThat(last().json().get("message").asText()).contains("bootc is not supported");

        assertThat(run("{\"kind\": \"image\", \"url\": \"oci://reg/x:1\", \"checksum\": \"sha256:" + "1".repeat(64) + "\"}", disk)).isEqualTo(1);
        assertThat(last().json().get("message").asText()).contains("cannot pull oci://reg/x:1");

        assertThat(run("{\"kind\": \"image\", \"url\": \"http://x/y\"}", disk)).isEqualTo(1);
        assertThat(last().json().get("step").asText()).isEqualTo("read-task");
        assertThat(last().json().get("message").asText()).contains("recipe.checksum: is required");
        assertThat(Files.readAllBytes(disk)).containsOnly((byte) 0);
    }

    @Test
    void aTaskWithoutUsableCallbackFieldsExitsOneWithoutCallbacks() throws Exception {
        Path taskDir = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(taskDir.resolve("task.json"), "{\"job_id\": \"" + FakeController.JOB_ID + "\"}");

        int rc = new Agent(RetryPolicy.DEFAULT, new QemuImg(Optional.empty()), dir, Duration.ofSeconds(1),
                new PrintStream(stderr, true, StandardCharsets.UTF_8))
                .run(AgentOptions.parse("--task", taskDir.toString(), "--disk", dir.resolve("d").toString()));

        assertThat(rc).isEqualTo(1);
        assertThat(stderr.toString()).contains("controller_url: is required").contains("job_key: is required");
        assertThat(controller.events()).isEmpty();
    }

    /** 20 MB through a 48 MB heap (surefire argLine): the image streams, it is never held in memory. */
    @Test
    void streamsA20MbImageWithoutLoadingItIntoMemory() throws Exception {
        long size = 20L * MIB;
        Path img = dir.resolve("big.raw");
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] chunk = new byte[MIB];
        try (OutputStream out = Files.newOutputStream(img)) {
            for (int i = 0; i < size / MIB; i++) {
                Arrays.fill(chunk, (byte) i);
                chunk[0] = (byte) (i * 7 + 1);
                out.write(chunk);
                sha.update(chunk);
            }
        }
        String checksum = "sha256:" + HexFormat.of().formatHex(sha.digest());
        Path disk = dir.resolve("big-disk.img");
        Files.createFile(disk); // empty plain file: size unknown, grows as written

        int rc = run(controller.serve("big.raw", img), checksum, "raw", disk);

        assertThat(rc).as(stderr.toString()).isZero();
        assertThat(Files.size(disk)).isEqualTo(size);
        assertThat(Files.mismatch(img, disk)).isEqualTo(-1L);
        assertThat(Runtime.getRuntime().maxMemory()).isLessThan(64L * MIB);
    }

    private static final String CONFIG_DRIVE = """
            "config_drive": {"meta_data": {"uuid": "u-1", "hostname": "node-1"}, "user_data": "#cloud-config\\nruncmd: [true]\\n",
                             "network_data": {"links": [], "networks": [], "services": []}}""";

    /** A 32 MiB GPT image onto a 64 MiB disk: the image, then config-2 in the space past the image's own backup GPT. */
    @Test
    void writesTheImageThenAConfigDrivePartitionAtTheDiskEnd() throws Exception {
        Path image = Disks.partitioned(dir.resolve("os.raw"), 32L * MIB, "label: gpt\nstart=2048, size=40960, type=L\n");
        Disks.fill(image, 2048L * 512, 20L * MIB, 7);
        String partData = Disks.sha256(image, 2048L * 512, 20L * MIB);
        Path disk = Disks.partitioned(dir.resolve("disk.img"), 64L * MIB, "label: dos\n"); // an old table, overwritten
        String recipe = """
                {"kind": "image", "url": "%s", "checksum": "sha256:%s", "format": "raw", %s}""".formatted(
                controller.serve("os.raw", image), Disks.sha256(image, 0, 32L * MIB), CONFIG_DRIVE);

        int rc = run(recipe, disk);

        assertThat(rc).as(stderr.toString()).isZero();
        assertThat(Files.size(disk)).isEqualTo(64L * MIB);
        assertThat(Disks.sha256(disk, 2048L * 512, 20L * MIB)).isEqualTo(partData);
        List<Disks.Dumped> parts = Disks.partitions(Disks.dump(disk));
        assertThat(parts).hasSize(2);
        assertThat(parts.getFirst().start()).isEqualTo(2048);
        assertThat(parts.getFirst().size()).isEqualTo(40960);
        Disks.Dumped cd = parts.getLast();
        assertThat(cd.start() % 2048).isZero();
        assertThat(cd.start() + cd.size()).isEqualTo(64L * MIB / 512 - 2048); // the last whole MiB before the backup GPT
        assertThat(Disks.probe(disk, cd.start() * 512, "LABEL")).isEqualTo("config-2");
        Path iso = Disks.extract(disk, cd.start() * 512, cd.size() * 512, dir.resolve("cd.iso"));
        assertThat(Disks.isoFile(iso, "/openstack/latest/meta_data.json")).isEqualTo("{\"uuid\":\"u-1\",\"hostname\":\"node-1\"}");
        assertThat(Disks.isoFile(iso, "/openstack/2018-08-27/user_data")).isEqualTo("#cloud-config\nruncmd: [true]\n");

        assertThat(controller.events("log")).anySatisfy(e -> {
            assertThat(e.json().get("step").asText()).isEqualTo("config-drive");
            assertThat(e.json().get("message").asText()).contains("config drive (config-2").contains("gpt partition 2");
        });
        assertThat(controller.events("log").toString()).doesNotContain("runcmd"); // user_data is masked in the log
        assertThat(last().type()).isEqualTo("succeeded");
        assertThat(last().json().get("message").asText()).contains("image written and verified").contains("config drive");
    }

    @Test
    void aConfigDriveOnAnImageWithoutAPartitionTableFailsAndZeroesTheHead() throws Exception {
        byte[] image = random(2 * MIB);
        Path disk = disk(4 * MIB, 0x44);
        String recipe = """
                {"kind": "image", "url": "%s", "checksum": "%s", "format": "raw", %s}""".formatted(
                controller.serve("os.raw", file("os.raw", image)), sha256(image), CONFIG_DRIVE);

        assertThat(run(recipe, disk)).isEqualTo(1);

        assertThat(last().type()).isEqualTo("failed");
        assertThat(last().json().get("step").asText()).isEqualTo("config-drive");
        assertThat(last().json().get("message").asText()).contains("has no partition table").endsWith("first MiB was zeroed");
        assertThat(Arrays.copyOf(Files.readAllBytes(disk), MIB)).containsOnly((byte) 0);
    }

    @Test
    void aConfigDriveWithoutSfdiskFailsBeforeTheDownload() throws Exception {
        Path disk = disk(MIB, 0x66);
        String recipe = """
                {"kind": "image", "url": "%s", "checksum": "sha256:%s", "format": "raw", %s}""".formatted(
                controller.base().resolve("/images/never.raw"), "1".repeat(64), CONFIG_DRIVE);

        assertThat(run(recipe, disk, new Sfdisk(Optional.empty()))).isEqualTo(1);

        assertThat(last().json().get("step").asText()).isEqualTo("config-drive");
        assertThat(last().json().get("message").asText()).contains("needs sfdisk (util-linux)");
        assertThat(Files.readAllBytes(disk)).containsOnly((byte) 0x66);
    }

    @Test
    void usageErrors() {
        assertThat(Main.run("--task", "x", "--task-attempts", "0")).isEqualTo(2);
        assertThat(Main.run("--task-interval", "soon")).isEqualTo(2);
        assertThat(Main.run("--task", "x", "--disk", "y", "--heartbeat", "0s")).isEqualTo(2);
        assertThat(AgentOptions.parse("--task=x", "--disk", "y", "--heartbeat", "500ms").heartbeat()).isEqualTo(Duration.ofMillis(500));
        AgentOptions none = AgentOptions.parse();
        assertThat(none.task()).isEmpty();
        assertThat(none.disk()).isEmpty();
        assertThat(none.taskAttempts()).isEqualTo(30);
        assertThat(none.taskInterval()).isEqualTo(Duration.ofSeconds(1));
    }
}

package dev.shoal.agent.task;

import dev.shoal.iso.IsoWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskSourceTest {
    static final String JOB = "0b7e2f4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
    static final String KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    static final String SHA = "sha256:" + "ab".repeat(32);

    static String task(String recipe) {
        return """
                {"job_id": "%s", "controller_url": "https://shoal.example.org:8443/", "agent_token": "s3cret-value",
                 "job_key": "%s", "registry": {"future": "field"}, "recipe": %s}""".formatted(JOB, KEY, recipe);
    }

    static final String IMAGE = """
            {"kind": "image", "url": "https://img.example.org/os.raw.gz", "checksum": "%s", "format": "raw",
             "root_device": {"serial": "S123", "size_min_gib": 100, "rotational": false, "prefer": "smallest"}}"""
            .formatted(SHA.toUpperCase().replace("SHA256", "sha256"));

    @TempDir
    Path dir;

    @Test
    void readsTaskJsonFromADirectory() throws Exception {
        Files.writeString(dir.resolve("task.json"), task(IMAGE));

        Task t = TaskSource.load(dir);

        assertThat(t.callback().jobId()).isEqualTo(JOB);
        assertThat(t.callback().eventsUrl()).hasToString("https://shoal.example.org:8443/api/v1/jobs/" + JOB + "/agent/events");
        assertThat(t.callback().jobKey()).hasSize(32).startsWith(0x00, 0x11, 0x22);
        assertThat(t.callback().toString()).doesNotContain("s3cret-value").doesNotContain(KEY);
        Recipe.Image image = (Recipe.Image) t.recipe();
        assertThat(image.checksum()).hasToString(SHA);
        assertThat(image.format()).isEqualTo(ImageFormat.RAW);
        assertThat(image.rootDevice().serial()).contains("S123");
        assertThat(image.rootDevice().sizeMinGib()).contains(100.0);
        assertThat(image.rootDevice().rotational()).contains(false);
        assertThat(image.configDrive()).isEmpty();
    }

    @Test
    void theRegistryCredentialIsReadWhenGivenAndAHalfOneIsRefused() throws Exception {
        String full = task(IMAGE).replace("\"registry\": {\"future\": \"field\"}",
                "\"registry\": {\"url\": \"http://127.0.0.1:8080\", \"username\": \"job-x\", \"password\": \"pull-secret\"}");
        Files.writeString(dir.resolve("task.json"), full);
        RegistryAccess r = TaskSource.load(dir).registry().orElseThrow();
        assertThat(r.url()).hasToString("http://127.0.0.1:8080");
        assertThat(r.username()).isEqualTo("job-x");
        assertThat(r.toString()).doesNotContain("pull-secret");

        Files.writeString(dir.resolve("task.json"), task(IMAGE).replace("\"registry\": {\"future\": \"field\"}",
                "\"registry\": {\"url\": \"http://127.0.0.1:8080\"}"));
        assertThatThrownBy(() -> TaskSource.load(dir)).isInstanceOf(TaskException.class)
                .hasMessageContaining("registry.username").hasMessageContaining("registry.password");

        Files.writeString(dir.resolve("task.json"), task(IMAGE));
        assertThat(TaskSource.load(dir).registry()).as("an object of unknown fields is left alone").isEmpty();
    }

    @Test
    void readsTaskJsonFromATaskIso() throws Exception {
        Path iso = dir.resolve("task.iso");
        IsoWriter.builder().volumeId("SHOAL-TASK").file("task.json", task(IMAGE)).file("ca.pem", "x").build().writeTo(iso);

        Task t = TaskSource.load(iso);

        assertThat(t.callback().jobId()).isEqualTo(JOB);
        assertThat(((Recipe.Image) t.recipe()).url()).hasToString("https://img.example.org/os.raw.gz");
    }

    @Test
    void anIsoWithoutTaskJsonIsAClearError() throws Exception {
        Path iso = dir.resolve("other.iso");
        IsoWriter.builder().volumeId("OTHER").file("readme.txt", "hi").build().writeTo(iso);

        assertThatThrownBy(() -> TaskSource.load(iso)).isInstanceOf(TaskException.class)
                .hasMessageContaining("no task.json in ISO image").hasMessageContaining("OTHER");
        assertThatThrownBy(() -> TaskSource.load(dir.resolve("missing"))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> TaskSource.load(dir)).hasMessageContaining("no task.json in directory");
    }

    @Test
    void namesEveryBadField() throws Exception {
        Files.writeString(dir.resolve("task.json"), """
                {"job_id": "JOB", "controller_url": "ftp://x", "agent_token": "", "job_key": "abc", "ca_cert": "not pem",
                 "recipe": {"kind": "image", "url": "file:///etc/passwd", "checksum": "md5:00", "format": "vmdk",
                            "root_device": {"name": "sda"}}}""");

        assertThatThrownBy(() -> TaskSource.load(dir)).isInstanceOfSatisfying(TaskException.class, e ->
                assertThat(e.problems()).anyMatch(p -> p.startsWith("job_id:"))
                        .anyMatch(p -> p.startsWith("controller_url:"))
                        .anyMatch(p -> p.startsWith("agent_token:"))
                        .anyMatch(p -> p.startsWith("job_key: must be 64 hex digits"))
                        .anyMatch(p -> p.startsWith("ca_cert:"))
                        .anyMatch(p -> p.startsWith("recipe.url:"))
                        .anyMatch(p -> p.startsWith("recipe.checksum: must be sha256:"))
                        .anyMatch(p -> p.startsWith("recipe.format: must be raw or qcow2"))
                        .anyMatch(p -> p.startsWith("recipe.root_device.name:")));
    }

    @Test
    void callbackPartParsesEvenWhenTheRecipeIsBad() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(task("{\"kind\": \"kexec\"}"));

        assertThat(TaskParser.callback(json).jobId()).isEqualTo(JOB);
        assertThatThrownBy(() -> TaskParser.parse(json)).hasMessageContaining("recipe.kind: must be image or bootc");
    }

    @Test
    void heartbeatIntervalIsOptionalWholeSecondsFromOneToAnHour() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        String withHeartbeat = task(IMAGE).replace("\"recipe\":", "\"heartbeat_interval_seconds\": %s, \"recipe\":");

        assertThat(TaskParser.parse(mapper.readTree(task(IMAGE))).heartbeatInterval()).isEmpty();
        assertThat(TaskParser.parse(mapper.readTree(withHeartbeat.formatted("30"))).heartbeatInterval())
                .contains(java.time.Duration.ofSeconds(30));
        assertThat(TaskParser.parse(mapper.readTree(withHeartbeat.formatted("3600"))).heartbeatInterval())
                .contains(java.time.Duration.ofHours(1));
        for (String bad : new String[] {"0", "3601", "-5", "1.5", "\"10\"", "true", "4294967306"}) {
            var json = mapper.readTree(withHeartbeat.formatted(bad));
            assertThatThrownBy(() -> TaskParser.parse(json)).as(bad).isInstanceOfSatisfying(TaskException.class, e ->
                    assertThat(e.problems()).containsExactly(
                            "heartbeat_interval_seconds: must be a whole number of seconds from 1 to 3600"));
            assertThat(TaskParser.callback(json).jobId()).as("a bad interval can still be reported").isEqualTo(JOB);
        }
    }

    @Test
    void parsesBootcAndConfigDrive() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(task("""
                {"kind": "bootc", "image": "quay.io/fedora/fedora-bootc:42",
                 "config_drive": {"meta_data": {"uuid": "u"}, "user_data": "#cloud-config\\npassword: hunter2"}}"""));

        Recipe.Bootc b = (Recipe.Bootc) TaskParser.parse(json).recipe();
        assertThat(b.image()).isEqualTo("quay.io/fedora/fedora-bootc:42");
        assertThat(b.configDrive()).get().satisfies(cd -> {
            assertThat(cd.metaData().get("uuid").asText()).isEqualTo("u");
            assertThat(cd.userData()).get().asString().contains("hunter2");
            assertThat(cd.toString()).doesNotContain("hunter2");
        });
    }
}

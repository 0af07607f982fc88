package dev.shoal.controller.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.testing.JobBodies;
import dev.shoal.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

/**
 * Every rule of {@link JobRequestParser}, one case each: the body is a valid job with exactly one thing broken,
 * and the 400 must name exactly that field.
 */
class JobValidationTest {
    @TempDir
    static Path root;
    static TestController c;

    @BeforeAll
    static void start() throws Exception {
        c = TestController.local(root);
    }

    @AfterAll
    static void stop() {
        if (c != null) {
            c.close();
        }
    }

    static ObjectNode imageJob() {
        return (ObjectNode) Json.parse(JobBodies.image());
    }

    static ObjectNode bootcJob() {
        return (ObjectNode) Json.parse("""
                {"server": {"bmc_url": "https://10.0.0.9", "username": "root", "password": "pw"},
                 "recipe": {"kind": "bootc", "image": "quay.io/fedora/fedora-bootc:42",
                            "authorized_keys": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMq op@example.org",
                            "pull_secret": "{}", "root_device": {"name": "/dev/sda"}}}""");
    }

    static ObjectNode server(ObjectNode job) {
        return (ObjectNode) job.path("server");
    }

    static ObjectNode recipe(ObjectNode job) {
        return (ObjectNode) job.path("recipe");
    }

    static ObjectNode rootDevice(ObjectNode job) {
        return (ObjectNode) job.path("recipe").path("root_device");
    }

    static ObjectNode configDrive(ObjectNode job) {
        return (ObjectNode) job.path("recipe").path("config_drive");
    }

    static Arguments image(String name, String field, Consumer<ObjectNode> breakIt) {
        ObjectNode job = imageJob();
        breakIt.accept(job);
        return argumentSet(name, field, Json.text(job));
    }

    static Arguments bootc(String name, String field, Consumer<ObjectNode> breakIt) {
        ObjectNode job = bootcJob();
        breakIt.accept(job);
        return argumentSet(name, field, Json.text(job));
    }

    static Stream<Arguments> oneBrokenField() {
        return Stream.of(
                // server
                image("server missing", "server", j -> j.remove("server")),
                image("server null", "server", j -> j.putNull("server")),
                image("server not an object", "server", j -> j.put("server", "https://10.0.0.5")),
                image("bmc_url missing", "server.bmc_url", j -> server(j).remove("bmc_url")),
                image("bmc_url not a string", "server.bmc_url", j -> server(j).put("bmc_url", 10)),
                image("bmc_url ftp", "server.bmc_url", j -> server(j).put("bmc_url", "ftp://10.0.0.5")),
                image("bmc_url without scheme", "server.bmc_url", j -> server(j).put("bmc_url", "10.0.0.5")),
                image("bmc_url without host", "server.bmc_url", j -> server(j).put("bmc_url", "https:///redfish/v1")),
                image("bmc_url not a URL", "server.bmc_url", j -> server(j).put("bmc_url", "https://10.0.0.5/a b")),
                image("bmc_url with user:pass@", "server.bmc_url", j -> server(j).put("bmc_url", "https://root:calvin@10.0.0.5")),
                image("bmc_url with query", "server.bmc_url", j -> server(j).put("bmc_url", "https://10.0.0.5/?token=x")),
                image("bmc_url with fragment", "server.bmc_url", j -> server(j).put("bmc_url", "https://10.0.0.5/#x")),
                image("username missing", "server.username", j -> server(j).remove("username")),
                image("username empty", "server.username", j -> server(j).put("username", "")),
                image("username blank", "server.username", j -> server(j).put("username", "   ")),
                image("username not a string", "server.username", j -> server(j).put("username", 0)),
                image("username with a control character", "server.username", j -> server(j).put("username", "ro\not")),
                image("username too long", "server.username", j -> server(j).put("username", "u".repeat(257))),
                image("password missing", "server.password", j -> server(j).remove("password")),
                image("password empty", "server.password", j -> server(j).put("password", "")),
                image("password not a string", "server.password", j -> server(j).put("password", 1234)),
                image("system_id not a string", "server.system_id", j -> server(j).put("system_id", 1)),
                image("vendor unknown", "server.vendor", j -> server(j).put("vendor", "acme")),
                image("vendor in capitals", "server.vendor", j -> server(j).put("vendor", "Dell")),
                image("tls_verify a string", "server.tls_verify", j -> server(j).put("tls_verify", "false")),
                image("tls_verify a number", "server.tls_verify", j -> server(j).put("tls_verify", 0)),
                // unknown fields at every level
                image("unknown top-level field", "priority", j -> j.put("priority", 1)),
                image("unknown server field", "server.tls_verfy", j -> server(j).put("tls_verfy", false)),
                image("unknown recipe field", "recipe.disk", j -> recipe(j).put("disk", "/dev/sda")),
                image("unknown root_device field", "recipe.root_device.size_gib", j -> rootDevice(j).put("size_gib", 8)),
                image("unknown config_drive field", "recipe.config_drive.vendor_data", j -> configDrive(j).put("vendor_data", "")),
                // recipe
                image("recipe missing", "recipe", j -> j.remove("recipe")),
                image("recipe not an object", "recipe", j -> j.putArray("recipe")),
                image("kind missing", "recipe.kind", j -> recipe(j).remove("kind")),
                image("kind unknown", "recipe.kind", j -> recipe(j).put("kind", "iso")),
                image("kind not a string", "recipe.kind", j -> recipe(j).put("kind", 1)),
                image("image url missing", "recipe.url", j -> recipe(j).remove("url")),
                image("image url bad scheme", "recipe.url", j -> recipe(j).put("url", "file:///srv/debian.raw")),
                image("image url with credentials", "recipe.url", j -> recipe(j).put("url", "https://u:p@images.example.org/d.raw")),
                image("checksum missing", "recipe.checksum", j -> recipe(j).remove("checksum")),
                image("checksum md5", "recipe.checksum", j -> recipe(j).put("checksum", "md5:d41d8cd98f00b204e9800998ecf8427e")),
                image("checksum sha256 too short", "recipe.checksum", j -> recipe(j).put("checksum", JobBodies.CHECKSUM.substring(0, 70))),
                image("checksum sha256 too long", "recipe.checksum", j -> recipe(j).put("checksum", JobBodies.CHECKSUM + "0")),
                image("checksum not hex", "recipe.checksum", j -> recipe(j).put("checksum", "sha256:" + "g".repeat(64))),
                image("checksum without algorithm", "recipe.checksum", j -> recipe(j).put("checksum", JobBodies.CHECKSUM.substring(7))),
                image("format vmdk", "recipe.format", j -> recipe(j).put("format", "vmdk")),
                image("format in capitals", "recipe.format", j -> recipe(j).put("format", "RAW")),
                bootc("bootc image missing", "recipe.image", j -> recipe(j).remove("image")),
                bootc("bootc image not a reference", "recipe.image", j -> recipe(j).put("image", "Fedora Bootc 42")),
                bootc("bootc image a URL", "recipe.image", j -> recipe(j).put("image", "https://quay.io/fedora/fedora-bootc:42")),
                bootc("bootc image without a repository path", "recipe.image", j -> recipe(j).put("image", "fedora-bootc")),
                bootc("bootc with url", "recipe.url", j -> recipe(j).put("url", "https://images.example.org/d.raw")),
                bootc("bootc with checksum", "recipe.checksum", j -> recipe(j).put("checksum", JobBodies.CHECKSUM)),
                bootc("bootc with format", "recipe.format", j -> recipe(j).put("format", "raw")),
                image("image with bootc's image field", "recipe.image", j -> recipe(j).put("image", "quay.io/a/b:1")),
                bootc("authorized_keys with a non-key line", "recipe.authorized_keys",
                        j -> recipe(j).put("authorized_keys", "ssh-ed25519 AAAAC3Nza op@x\nhello world\n")),
                bootc("authorized_keys not a string", "recipe.authorized_keys", j -> recipe(j).putArray("authorized_keys")),
                bootc("tpm2_luks not a boolean", "recipe.tpm2_luks", j -> recipe(j).put("tpm2_luks", "yes")),
                bootc("pull_secret not a string", "recipe.pull_secret", j -> recipe(j).putObject("pull_secret")),
                // root device hints
                image("root_device not an object", "recipe.root_device", j -> recipe(j).put("root_device", "/dev/sda")),
                image("root_device name not /dev/", "recipe.root_device.name", j -> rootDevice(j).put("name", "sda")),
                bootc("bootc root_device name not /dev/", "recipe.root_device.name", j -> rootDevice(j).put("name", "disk0")),
                image("size_min_gib > size_max_gib", "recipe.root_device.size_max_gib",
                        j -> rootDevice(j).put("size_min_gib", 100).put("size_max_gib", 10)),
                image("size_min_gib negative", "recipe.root_device.size_min_gib", j -> rootDevice(j).put("size_min_gib", -1)),
                image("size_min_gib zero", "recipe.root_device.size_min_gib", j -> rootDevice(j).put("size_min_gib", 0)),
                image("size_min_gib a string", "recipe.root_device.size_min_gib", j -> rootDevice(j).put("size_min_gib", "8")),
                image("size_max_gib negative", "recipe.root_device.size_max_gib", j -> rootDevice(j).put("size_max_gib", -5.5)),
                image("size_max_gib beyond 1 PiB", "recipe.root_device.size_max_gib", j -> rootDevice(j).put("size_max_gib", 2_000_000)),
                image("rotational not a boolean", "recipe.root_device.rotational", j -> rootDevice(j).put("rotational", "no")),
                image("prefer unknown", "recipe.root_device.prefer", j -> rootDevice(j).put("prefer", "middle")),
                image("serial not a string", "recipe.root_device.serial", j -> rootDevice(j).put("serial", 42)),
                // config drive
                image("config_drive not an object", "recipe.config_drive", j -> recipe(j).put("config_drive", "#cloud-config")),
                image("meta_data not an object", "recipe.config_drive.meta_data", j -> configDrive(j).put("meta_data", "hostname: x")),
                image("network_data not an object", "recipe.config_drive.network_data", j -> configDrive(j).putArray("network_data")),
                image("user_data not a string", "recipe.config_drive.user_data", j -> configDrive(j).putObject("user_data")),
                // labels
                image("labels not an object", "labels", j -> j.putArray("labels")),
                image("label key starting with '-'", "labels.-rack", j -> j.putObject("labels").put("-rack", "r1")),
                image("label key with a space", "labels.my rack", j -> j.putObject("labels").put("my rack", "r1")),
                image("label key too long", "labels." + "k".repeat(64), j -> j.putObject("labels").put("k".repeat(64), "v")),
                image("label key empty", "labels.", j -> j.putObject("labels").put("", "v")),
                image("label value a number", "labels.rack", j -> j.putObject("labels").put("rack", 12)),
                image("label value null", "labels.rack", j -> j.putObject("labels").putNull("rack")),
                image("label value too long", "labels.rack", j -> j.putObject("labels").put("rack", "r".repeat(257))),
                image("65 labels", "labels", j -> {
                    ObjectNode labels = j.putObject("labels");
                    for (int i = 0; i < 65; i++) {
                        labels.put("l" + i, "v");
                    }
                }));
    }

    static HttpResponse<String> post(String body) throws Exception {
        return c.post("/api/v1/jobs", body);
    }

    static List<String> fields(HttpResponse<String> r) {
        return Json.parse(r.body()).path("error").path("details").findValuesAsText("field");
    }

    static int jobCount() throws Exception {
        HttpResponse<String> r = c.get("/api/v1/jobs?limit=500");
        assertThat(r.statusCode()).isEqualTo(200);
        return Json.parse(r.body()).path("items").size();
    }

    @ParameterizedTest
    @MethodSource("oneBrokenField")
    void oneBrokenFieldIsReportedByItsPath(String field, String body) throws Exception {
        HttpResponse<String> r = post(body);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode error = Json.parse(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("invalid_request");
        assertThat(fields(r)).as(r.body()).containsExactly(field);
        assertThat(error.path("details").get(0).path("message").asText()).isNotBlank();
        assertThat(error.path("message").asText()).startsWith(field + ": ");
        // an error never echoes a secret it was given
        assertThat(r.body()).doesNotContain(JobBodies.BMC_PASSWORD).doesNotContain("ud-secret-9k2").doesNotContain("calvin");
    }

    @Test
    void theBaseBodiesAreValid() throws Exception {
        // without this, every case above could pass because the base body was already broken in that one field
        HttpResponse<String> image = post(Json.text(imageJob()));
        assertThat(image.statusCode()).as(image.body()).isEqualTo(201);
        HttpResponse<String> bootc = post(Json.text(bootcJob()));
        assertThat(bootc.statusCode()).as(bootc.body()).isEqualTo(201);
    }

    @Test
    void everyProblemIsReportedAtOnce() throws Exception {
        ObjectNode job = imageJob();
        server(job).put("bmc_url", "ftp://10.0.0.5").remove("password");
        server(job).put("vendor", "acme");
        recipe(job).put("checksum", "md5:abc").put("format", "vhd");
        rootDevice(job).put("name", "sda").put("size_min_gib", -1);
        configDrive(job).put("meta_data", 1);
        job.putObject("labels").put("ok", "v").put("bad key", "v").put("n", 1);
        job.put("extra", true);

        HttpResponse<String> r = post(Json.text(job));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(fields(r)).containsExactlyInAnyOrder("extra", "server.bmc_url", "server.password", "server.vendor",
                "recipe.checksum", "recipe.format", "recipe.root_device.name", "recipe.root_device.size_min_gib",
                "recipe.config_drive.meta_data", "labels.bad key", "labels.n");
        assertThat(Json.parse(r.body()).path("error").path("message").asText()).startsWith("11 fields are invalid: ");
    }

    @Test
    void uppercaseChecksumIsAcceptedAndLowerCased() throws Exception {
        ObjectNode job = imageJob();
        recipe(job).put("checksum", "SHA256:" + JobBodies.CHECKSUM.substring(7).toUpperCase());

        HttpResponse<String> r = post(Json.text(job));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(Json.parse(r.body()).path("recipe").path("checksum").asText()).isEqualTo(JobBodies.CHECKSUM);
    }

    @Test
    void edgeValuesThatAreValid() throws Exception {
        ObjectNode job = imageJob();
        recipe(job).put("checksum", "sha512:" + "ab".repeat(64)).put("format", "qcow2")
                .put("url", "oci://registry.example.org/images/debian:12");
        rootDevice(job).put("size_min_gib", 8).put("size_max_gib", 8).put("prefer", "smallest").put("rotational", false);
        server(job).put("vendor", "supermicro").put("system_id", "1");
        ObjectNode labels = job.putObject("labels");
        for (int i = 0; i < 64; i++) {
            labels.put("example.org/l-" + i, "v".repeat(256));
        }
        configDrive(job).putNull("meta_data").put("user_data", "");

        HttpResponse<String> r = post(Json.text(job));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode back = Json.parse(r.body());
        assertThat(back.path("labels").size()).isEqualTo(64);
        assertThat(back.path("recipe").path("format").asText()).isEqualTo("qcow2");
        assertThat(back.path("recipe").path("root_device").path("prefer").asText()).isEqualTo("smallest");
        // an empty user_data is no secret: it reads back as null, not as a mask
        assertThat(back.path("recipe").path("config_drive").path("user_data").isNull()).isTrue();
        assertThat(back.path("recipe").path("config_drive").path("meta_data").isObject()).isTrue();
    }

    @Test
    void aRejectedBodyStoresNothing() throws Exception {
        int before = jobCount();
        List<String> bodies = oneBrokenField().map(a -> (String) a.get()[1]).toList();
        assertThat(bodies).hasSizeGreaterThan(50);

        for (String body : bodies) {
            assertThat(post(body).statusCode()).isEqualTo(400);
        }

        assertThat(jobCount()).isEqualTo(before);
        // and the jobs that were accepted still read back: the count above is not vacuous
        assertThat(post(Json.text(imageJob())).statusCode()).isEqualTo(201);
        assertThat(jobCount()).isEqualTo(before + 1);
    }
}

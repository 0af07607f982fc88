package dev.shoal.controller.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.store.Sqlite3;
import dev.shoal.controller.testing.JobBodies;
import dev.shoal.controller.testing.TestController;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a job's secrets look like on disk: sealed while the job lives, gone once it ends. */
@Timeout(120)
class SealedAtRestTest {
    private static final String USER_DATA_SECRET = "ud-secret-9k2";
    private static final String BMC_HOST = "bmc-sealed-at-rest.example.org";
    // no engine picks jobs up, so a job stays queued and its cancel is immediate
    private static final Map<ConfigKey, String> NO_WORKERS = Map.of(ConfigKey.WORKER_CONCURRENCY, "0");

    @TempDir
    Path tmp;

    @Test
    void secretsAreNeverInTheDatabaseFilesInTheClear() throws Exception {
        Path root = tmp.resolve("shoal");
        Path db = root.resolve("db/provisioner.db");
        try (TestController c = TestController.local(root, NO_WORKERS)) {
            String id = create(c, JobBodies.image(BMC_HOST));

            // while serving: the job's pages are in the WAL (or the main file), the secrets in neither
            assertThat(db.resolveSibling("provisioner.db-wal")).exists();
            byte[] disk = databaseFiles(db);
            assertThat(contains(disk, BMC_HOST)).as("bmc host (a non-secret) is on disk").isTrue();
            assertThat(contains(disk, "\"rack\":\"r12\"")).as("labels (non-secret) are on disk").isTrue();
            assertThat(contains(disk, id)).as("the job id is on disk").isTrue();
            assertThat(contains(disk, JobBodies.BMC_PASSWORD)).as("BMC password in the clear").isFalse();
            assertThat(contains(disk, USER_DATA_SECRET)).as("user_data secret in the clear").isFalse();

            // the sealed columns hold something, and only ciphertext
            assertThat(Sqlite3.query(db, "SELECT length(bmc_password) > 28, length(recipe_secrets) > 28 FROM jobs "
                    + "WHERE id = '" + id + "'")).containsExactly("1|1");
            // the API does not give them back either
            HttpResponse<String> got = c.get("/api/v1/jobs/" + id);
            assertThat(got.statusCode()).isEqualTo(200);
            assertThat(got.body()).contains(BMC_HOST).doesNotContain(JobBodies.BMC_PASSWORD).doesNotContain(USER_DATA_SECRET);
        }
        // after a clean stop the WAL is folded into the main file: still nothing in the clear
        byte[] disk = databaseFiles(db);
        assertThat(contains(disk, BMC_HOST)).isTrue();
        assertThat(contains(disk, JobBodies.BMC_PASSWORD)).isFalse();
        assertThat(contains(disk, USER_DATA_SECRET)).isFalse();
    }

    @Test
    void cancellingAJobErasesItsSealedSecrets() throws Exception {
        Path root = tmp.resolve("shoal");
        Path db = root.resolve("db/provisioner.db");
        try (TestController c = TestController.local(root, NO_WORKERS)) {
            String cancelled = create(c, JobBodies.image("10.0.0.5"));
            String kept = create(c, JobBodies.image("10.0.0.6"));
            assertThat(sealedColumnsNull(db, cancelled)).containsExactly("queued|0|0");

            HttpResponse<String> cancel = c.post("/api/v1/jobs/" + cancelled + "/cancel", "");

            assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(cancel.body()).get("state").asText()).isEqualTo("cancelled");
            assertThat(sealedColumnsNull(db, cancelled)).containsExactly("cancelled|1|1");
            assertThat(sealedColumnsNull(db, kept)).as("the other job keeps its secrets").containsExactly("queued|0|0");
            assertThat(c.post("/api/v1/jobs/" + cancelled + "/cancel", "").statusCode()).isEqualTo(409);
            assertThat(sealedColumnsNull(db, cancelled)).containsExactly("cancelled|1|1");
        }
    }

    @Test
    void storageDirectoriesAreCreatedOwnerAndGroupOnly() throws Exception {
        Path root = tmp.resolve("var/shoal");
        try (TestController c = TestController.local(root)) {
            assertThat(c.get("/api/v1/jobs").statusCode()).isEqualTo(200);
        }
        for (String dir : List.of("", "db", "tasks", "static", "static/isos")) {
            assertThat(mode(root.resolve(dir))).as("mode of STORAGE_ROOT/%s", dir).isEqualTo("rwxr-x---");
        }
        assertThat(mode(root.resolve("keys"))).isEqualTo("rwx------");
        try (Stream<Path> keys = Files.list(root.resolve("keys"))) {
            List<Path> files = keys.toList();
            assertThat(files).extracting(p -> p.getFileName().toString()).contains("secrets.key", "initial-admin-password");
            for (Path f : files) {
                assertThat(mode(f)).as("mode of %s", f).isEqualTo("rw-------");
            }
        }
    }

    private static String create(TestController c, String body) throws Exception {
        HttpResponse<String> r = c.post("/api/v1/jobs", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.MAPPER.readTree(r.body()).get("id").asText();
    }

    private static List<String> sealedColumnsNull(Path db, String id) {
        return Sqlite3.query(db, "SELECT state, bmc_password IS NULL, recipe_secrets IS NULL FROM jobs WHERE id = '"
                + id.replace("'", "''") + "'");
    }

    /** The main database file, its -wal and -shm, and anything else SQLite keeps beside them, concatenated. */
    private static byte[] databaseFiles(Path db) throws Exception {
        List<byte[]> parts = new ArrayList<>();
        try (Stream<Path> files = Files.list(db.getParent())) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                parts.add(Files.readAllBytes(f));
            }
        }
        assertThat(parts).isNotEmpty();
        int total = parts.stream().mapToInt(p -> p.length + 1).sum();
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length + 1;
        }
        return all;
    }

    private static boolean contains(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}

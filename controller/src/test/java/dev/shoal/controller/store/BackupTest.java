package dev.shoal.controller.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shoal.controller.http.Json;
import dev.shoal.controller.testing.JobBodies;
import dev.shoal.controller.testing.TestController;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code shoal-controller db backup|check|vacuum} against a controller that is serving and writing: the CLI
 * opens its own connection pool on the file, as the real command would from another process.
 */
@Timeout(180)
class BackupTest {
    private static final Duration WRITER_LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void onlineBackupIsAConsistentSnapshotWhileJobsAreWritten() throws Exception {
        Path root = tmp.resolve("shoal");
        Path backups = Files.createDirectories(tmp.resolve("backups"));
        Path copy = backups.resolve("provisioner-backup.db");
        Set<String> acceptedBefore;
        long sentAfter;
        Set<String> acceptedAll;
        ShoalCli.Result backup;
        try (TestController c = TestController.local(root); Writer writer = Writer.start(c)) {
            assertThat(writer.awaitAccepted(20, Duration.ofSeconds(20))).as("writer got 20 jobs in").isTrue();
            acceptedBefore = Set.copyOf(writer.accepted);

            backup = ShoalCli.run(root, "db", "backup", copy.toString());

            sentAfter = writer.sent.get();
            // the controller kept taking jobs after the backup, and never failed one because of it
            assertThat(writer.awaitAccepted(writer.accepted.size() + 5, Duration.ofSeconds(20))).isTrue();
            writer.stop();
            acceptedAll = Set.copyOf(writer.accepted);
            assertThat(writer.errors).as("writer errors").isEmpty();
        }
        assertThat(backup.exit()).as(backup.toString()).isZero();
        try (Stream<Path> files = Files.list(backups)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .as("no partial copy left behind").containsExactly("provisioner-backup.db");
        }

        List<String> check = Sqlite3.query(copy, "PRAGMA integrity_check; SELECT count(*) FROM jobs");
        assertThat(check).hasSize(2);
        assertThat(check.get(0)).isEqualTo("ok");
        long count = Long.parseLong(check.get(1));
        assertThat(count).isGreaterThanOrEqualTo(acceptedBefore.size()).isLessThanOrEqualTo(sentAfter);
        Matcher reported = Pattern.compile("(\\d+) jobs, (\\d+) events, integrity ok").matcher(backup.out());
        assertThat(reported.find()).as(backup.out()).isTrue();
        assertThat(Long.parseLong(reported.group(1))).isEqualTo(count);

        Set<String> inCopy = new HashSet<>(Sqlite3.query(copy, "SELECT id FROM jobs"));
        assertThat(inCopy).hasSize((int) count).containsAll(acceptedBefore);
        assertThat(acceptedAll).containsAll(inCopy);
        assertThat(Sqlite3.query(copy, """
                SELECT count(*) FROM jobs j
                WHERE NOT EXISTS (SELECT 1 FROM job_events e WHERE e.job_id = j.id AND e.seq = 1 AND e.step = 'accepted')"""))
                .as("jobs without their first event").containsExactly("0");
        assertThat(Sqlite3.query(copy, "SELECT count(*) FROM job_events e WHERE NOT EXISTS "
                + "(SELECT 1 FROM jobs j WHERE j.id = e.job_id)")).as("events without their job").containsExactly("0");
        assertThat(Sqlite3.query(copy, "SELECT group_concat(version, ',') FROM flyway_schema_history WHERE success = 1"))
                .containsExactly(String.join(",", MigrationsTest.VERSIONS.stream().map(String::valueOf).toList()));
        assertThat(Sqlite3.query(copy, "SELECT count(*) FROM controller_meta WHERE name = 'secret_key_fingerprint'"))
                .as("the key binding travels with the backup").containsExactly("1");

        // a backup never overwrites: the same name again is refused and the first copy is untouched
        byte[] digest = sha256(copy);
        FileTime modified = Files.getLastModifiedTime(copy);
        ShoalCli.Result again = ShoalCli.run(root, "db", "backup", copy.toString());
        assertThat(again.exit()).as(again.toString()).isEqualTo(1);
        assertThat(again.err()).contains("exists");
        assertThat(sha256(copy)).isEqualTo(digest);
        assertThat(Files.getLastModifiedTime(copy)).isEqualTo(modified);
        try (Stream<Path> files = Files.list(backups)) {
            assertThat(files.filter(p -> p.getFileName().toString().contains(".partial-")).toList()).isEmpty();
        }
    }

    @Test
    void backupRefusesAnExistingFileOfAnyKind() throws Exception {
        Path root = tmp.resolve("shoal");
        Path precious = tmp.resolve("precious.txt");
        Files.writeString(precious, "not a database, and not to be lost\n");
        try (TestController c = TestController.local(root)) {
            assertThat(c.post("/api/v1/jobs", JobBodies.image()).statusCode()).isEqualTo(201);

            ShoalCli.Result r = ShoalCli.run(root, "db", "backup", precious.toString());

            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains(precious.getFileName().toString()).contains("exists");
        }
        assertThat(Files.readString(precious)).isEqualTo("not a database, and not to be lost\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"weekly #1.db", "shoal-%41.db", "what?.db", "with space.db"})
    void backupNamesThatMeanSomethingInAUriAreCopiedAndVerifiedAsThemselves(String name) throws Exception {
        Path root = tmp.resolve("shoal");
        Path backups = Files.createDirectories(tmp.resolve("backups"));
        try (TestController c = TestController.local(root)) {
            for (int i = 0; i < 3; i++) {
                assertThat(c.post("/api/v1/jobs", JobBodies.image("10.0.0." + (i + 1))).statusCode()).isEqualTo(201);
            }
        }
        Path copy = backups.resolve(name);

        ShoalCli.Result r = ShoalCli.run(root, "db", "backup", copy.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        // the verification read the copy itself: it counted the 3 jobs, and opened (or created) no other file
        assertThat(r.out()).contains("3 jobs, 3 events, integrity ok");
        assertThat(Sqlite3.query(copy, "PRAGMA integrity_check; SELECT count(*) FROM jobs")).containsExactly("ok", "3");
        try (Stream<Path> files = Files.list(backups)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly(name);
        }
    }

    @Test
    void checkAndVacuumWhileServing() throws Exception {
        Path root = tmp.resolve("shoal");
        Path live = root.resolve("db/provisioner.db");
        ShoalCli.Result check;
        ShoalCli.Result vacuum;
        Set<String> accepted;
        try (TestController c = TestController.local(root); Writer writer = Writer.start(c)) {
            assertThat(writer.awaitAccepted(20, Duration.ofSeconds(20))).isTrue();

            check = ShoalCli.run(root, "db", "check");
            vacuum = ShoalCli.run(root, "db", "vacuum");

            assertThat(writer.awaitAccepted(writer.accepted.size() + 5, Duration.ofSeconds(20))).isTrue();
            writer.stop();
            accepted = Set.copyOf(writer.accepted);
            assertThat(writer.errors).as("writer errors").isEmpty();

            assertThat(check.exit()).as(check.toString()).isZero();
            assertThat(check.out().lines().toList()).contains("ok").doesNotContain("NOT OK");
            assertThat(check.out()).contains("schema " + MigrationsTest.LATEST + " (this build knows up to "
                    + MigrationsTest.LATEST + ", 0 pending)");
            assertThat(vacuum.exit()).as(vacuum.toString()).isZero();
            assertThat(vacuum.out()).contains("vacuumed");

            // still serving, and a peer sees every accepted job in a whole file
            HttpResponse<String> list = c.get("/api/v1/jobs?limit=1");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(Sqlite3.query(live, "PRAGMA integrity_check")).containsExactly("ok");
            Set<String> ids = new HashSet<>(Sqlite3.query(live, "SELECT id FROM jobs"));
            assertThat(ids).containsAll(accepted);
        }
    }

    @Test
    void checkReportsForeignKeyViolations() throws Exception {
        Path root = tmp.resolve("shoal");
        Path live = root.resolve("db/provisioner.db");
        try (TestController c = TestController.local(root)) {
            assertThat(c.post("/api/v1/jobs", JobBodies.image()).statusCode()).isEqualTo(201);
        }
        assertThat(ShoalCli.run(root, "db", "check").exit()).isZero();
        // the sqlite3 CLI does not enforce foreign keys unless asked: an orphaned event, as a bad restore might leave
        Sqlite3.query(live, "INSERT INTO job_events (job_id, seq, at, step, message) VALUES ('no-such-job', 1, 0, 'x', 'y')");

        ShoalCli.Result check = ShoalCli.run(root, "db", "check");

        assertThat(check.exit()).as(check.toString()).isEqualTo(1);
        assertThat(check.out()).contains("problem: foreign key violation in job_events").contains("NOT OK");
    }

    @Test
    void commandsFailClearlyWithoutADatabase() {
        Path root = tmp.resolve("empty");
        ShoalCli.Result r = ShoalCli.run(root, "db", "backup", tmp.resolve("x.db").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("no database at");
        assertThat(tmp.resolve("x.db")).doesNotExist();
        assertThat(root.resolve("db/provisioner.db")).doesNotExist();
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    /** POSTs jobs one after another until stopped, for at most 30 s and 100 000 jobs. */
    static final class Writer implements AutoCloseable {
        final AtomicLong sent = new AtomicLong();
        final Set<String> accepted = ConcurrentHashMap.newKeySet();
        final List<String> errors = new CopyOnWriteArrayList<>();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        private Writer(TestController c) {
            long deadline = System.nanoTime() + WRITER_LIMIT.toNanos();
            thread = Thread.ofPlatform().name("backup-test-writer").daemon().unstarted(() -> {
                for (int i = 0; i < 100_000 && !stop.get() && System.nanoTime() < deadline; i++) {
                    sent.incrementAndGet();
                    try {
                        HttpResponse<String> r = c.post("/api/v1/jobs",
                                JobBodies.image("10.%d.%d.%d".formatted(1 + i / 65536, (i / 256) % 256, i % 256)));
                        if (r.statusCode() == 201) {
                            accepted.add(Json.MAPPER.readTree(r.body()).get("id").asText());
                        } else {
                            errors.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        errors.add(e.toString());
                    }
                    if (errors.size() > 10) {
                        return;
                    }
                }
            });
        }

        static Writer start(TestController c) {
            Writer w = new Writer(c);
            w.thread.start();
            return w;
        }

        boolean awaitAccepted(int n, Duration within) throws InterruptedException {
            long deadline = System.nanoTime() + within.toNanos();
            while (accepted.size() < n && System.nanoTime() < deadline && thread.isAlive()) {
                Thread.sleep(10);
            }
            return accepted.size() >= n;
        }

        void stop() throws InterruptedException {
            stop.set(true);
            thread.join(Duration.ofSeconds(40));
            assertThat(thread.isAlive()).as("writer thread stopped").isFalse();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(Duration.ofSeconds(40));
        }
    }
}

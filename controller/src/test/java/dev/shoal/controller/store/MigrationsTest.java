package dev.shoal.controller.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.store.Migrations.SchemaTooNewException;
import dev.shoal.controller.testing.TestController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Forward-only Flyway migrations on real SQLite files, and the refusal of a schema a newer Shoal wrote. */
@Timeout(120)
class MigrationsTest {
    private static final String FUTURE = "classpath:db/future";

    @TempDir
    Path tmp;

    /** The migrations this build ships, read from the source tree so a new migration needs no test edit. */
    static final List<Integer> VERSIONS = shippedVersions();
    static final int COUNT = VERSIONS.size();
    static final String LATEST = Integer.toString(VERSIONS.getLast());

    static List<Integer> shippedVersions() {
        try (var files = java.nio.file.Files.walk(Path.of("src/main/resources/db/migration"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void migratesAnEmptyDatabaseToTheLatestSchema() throws Exception {
        try (Database db = Database.open(tmp.resolve("db/provisioner.db"), Optional.empty())) {
            Migrations migrations = new Migrations(db);
            Migrations.Status before = migrations.status();
            assertThat(before.current()).isEmpty();
            assertThat(before.latestKnown()).isEqualTo(LATEST);
            assertThat(before.pending()).isEqualTo(COUNT);

            Migrations.Status after = migrations.migrate();

            assertThat(after.current()).contains(LATEST);
            assertThat(after.latestKnown()).isEqualTo(LATEST);
            assertThat(after.pending()).isZero();
            assertThat(migrations.status()).isEqualTo(after);
            assertThat(names(db, "table")).contains("jobs", "job_events", "controller_meta", "flyway_schema_history");
            assertThat(names(db, "index")).contains("jobs_state_id", "jobs_server_state");
            String journal = db.jdbi().withHandle(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
            assertThat(journal).isEqualToIgnoringCase("wal");
        }
        // and another SQLite agrees: the file on disk is whole and holds the schema
        Path file = tmp.resolve("db/provisioner.db");
        assertThat(Sqlite3.query(file, "PRAGMA integrity_check; SELECT count(*) FROM sqlite_master WHERE name IN "
                + "('jobs', 'job_events', 'controller_meta', 'jobs_state_id', 'jobs_server_state')"))
                .containsExactly("ok", "5");
    }

    @Test
    void migratingAgainIsANoOp() throws Exception {
        try (Database db = Database.open(tmp.resolve("db/provisioner.db"), Optional.empty())) {
            new Migrations(db).migrate();
            List<String> history = history(db);
            assertThat(history).hasSize(COUNT);
            insertMarkerRow(db);

            Migrations.Status again = new Migrations(db).migrate();

            assertThat(again.current()).contains(LATEST);
            assertThat(again.pending()).isZero();
            assertThat(history(db)).isEqualTo(history);
            assertThat(markerRows(db)).isEqualTo(1);
        }
    }

    @Test
    void refusesADatabaseANewerShoalMigratedAndChangesNothing() throws Exception {
        try (Database db = Database.open(tmp.resolve("db/provisioner.db"), Optional.empty())) {
            Migrations.Status future = new Migrations(db, FUTURE).migrate();
            assertThat(future.current()).contains("99");
            assertThat(future.pending()).isZero();
            insertMarkerRow(db);
            List<String> history = history(db);
            assertThat(history).hasSize(COUNT + 1);

            Migrations plain = new Migrations(db);
            assertThatThrownBy(plain::migrate)
                    .isInstanceOf(SchemaTooNewException.class)
                    .hasMessageContaining("version 99")
                    .hasMessageContaining("knows up to " + LATEST);
            assertThatThrownBy(plain::refuseNewerSchema).isInstanceOf(SchemaTooNewException.class);

            assertThat(history(db)).isEqualTo(history);
            assertThat(markerRows(db)).isEqualTo(1);
            List<String> notes = db.jdbi().withHandle(h -> h.createQuery("SELECT note FROM future_feature")
                    .mapTo(String.class).list());
            assertThat(notes).containsExactly("written by Shoal schema 99");
        }
    }

    @Test
    void refusesADatabaseThatIsNotShoalsWithoutTouchingIt() throws Exception {
        Path file = tmp.resolve("other.db");
        Sqlite3.query(file, "PRAGMA journal_mode = WAL; CREATE TABLE inventory (host TEXT PRIMARY KEY); "
                + "INSERT INTO inventory VALUES ('rack12-node1')");
        try (Database db = Database.open(file, Optional.empty())) {
            Throwable refused = catchThrowable(() -> new Migrations(db).migrate());

            assertThat(refused).isNotNull().hasMessageContaining("schema history");
            assertThat(names(db, "table")).containsExactly("inventory");
        }
        assertThat(Sqlite3.query(file, "SELECT host FROM inventory")).containsExactly("rack12-node1");
    }

    @Test
    void theControllerRefusesToStartOnANewerSchema() throws Exception {
        Path root = tmp.resolve("shoal");
        Path file = root.resolve("db/provisioner.db");
        List<String> history;
        String expected;
        try (Database db = Database.open(file, Optional.empty())) {
            new Migrations(db, FUTURE).migrate();
            insertMarkerRow(db);
            history = history(db);
            expected = catchThrowable(() -> new Migrations(db).migrate()).getMessage();
        }
        assertThat(expected).contains("version 99");

        Throwable refused = catchThrowable(() -> {
            try (TestController c = TestController.local(root, Map.of(ConfigKey.DB_PATH, file.toString()))) {
                c.get("/api/v1/jobs"); // not reached if the start is refused
            }
        });

        assertThat(refused).isInstanceOf(SchemaTooNewException.class).hasMessage(expected);
        try (Database db = Database.open(file, Optional.empty())) {
            assertThat(history(db)).isEqualTo(history);
            assertThat(markerRows(db)).isEqualTo(1);
            // the key binding comes after migrations: a refused start has not claimed the database for its key
            int bound = db.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM controller_meta "
                    + "WHERE name = 'secret_key_fingerprint'").mapTo(Integer.class).one());
            assertThat(bound).isZero();
        }
    }

    @Test
    void dbCheckRefusesANewerSchemaWithoutMigrating() throws Exception {
        Path root = tmp.resolve("shoal");
        Path file = root.resolve("db/provisioner.db");
        List<String> history;
        try (Database db = Database.open(file, Optional.empty())) {
            new Migrations(db, FUTURE).migrate();
            history = history(db);
        }

        ShoalCli.Result check = ShoalCli.run(root, "db", "check");

        assertThat(check.exit()).as(check.toString()).isEqualTo(1);
        assertThat(check.err()).contains("version 99");
        assertThat(check.out()).doesNotContain("ok");
        try (Database db = Database.open(file, Optional.empty())) {
            assertThat(history(db)).isEqualTo(history);
        }
    }

    @Test
    void dbCheckOnAnOlderSchemaReportsPendingMigrationsAndDoesNotApplyThem() throws Exception {
        Path root = tmp.resolve("shoal");
        Path file = root.resolve("db/provisioner.db");
        Files.createDirectories(file.getParent());
        // a database at schema 1, as an older build would have left it (only the sqlite folder's V1)
        try (Database db = Database.open(file, Optional.empty())) {
            org.flywaydb.core.Flyway.configure(Migrations.class.getClassLoader()).dataSource(db.dataSource())
                    .locations(Migrations.COMMON, Migrations.SQLITE).target("1").load().migrate();
            assertThat(history(db)).hasSize(1);
        }

        ShoalCli.Result check = ShoalCli.run(root, "db", "check");

        assertThat(check.exit()).as(check.toString()).isEqualTo(1);
        assertThat(check.out()).contains("schema 1 (this build knows up to " + LATEST + ", " + (COUNT - 1) + " pending)")
                .contains("NOT OK");
        try (Database db = Database.open(file, Optional.empty())) {
            assertThat(history(db)).hasSize(1);
        }
    }

    private static List<String> names(Database db, String type) {
        return db.jdbi().withHandle(h -> h.createQuery("SELECT name FROM sqlite_master WHERE type = :t")
                .bind("t", type).mapTo(String.class).list());
    }

    private static List<String> history(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery("""
                        SELECT installed_rank || '|' || coalesce(version, '') || '|' || description || '|'
                               || coalesce(checksum, '') || '|' || installed_on || '|' || success
                        FROM flyway_schema_history ORDER BY installed_rank""")
                .mapTo(String.class).list());
    }

    private static void insertMarkerRow(Database db) {
        db.jdbi().useHandle(h -> h.execute("INSERT INTO controller_meta (name, value) VALUES ('migrations-test', 'kept')"));
    }

    private static int markerRows(Database db) {
        return db.jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM controller_meta WHERE name = 'migrations-test' AND value = 'kept'")
                .mapTo(Integer.class).one());
    }
}

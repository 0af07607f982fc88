package dev.shoal.controller.store;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Forward-only schema migrations: the portable SQL in {@code db/migration/common} plus the dialect's own
 * folder. There are no down migrations; a rollback restores the backup taken before the upgrade (036 §9).
 */
public final class Migrations {
    public static final String COMMON = "classpath:db/migration/common";
    public static final String SQLITE = "classpath:db/migration/sqlite";

    private final Flyway flyway;

    public Migrations(Database db, String... extraLocations) {
        String[] locations = new String[2 + extraLocations.length];
        locations[0] = COMMON;
        locations[1] = SQLITE;
        System.arraycopy(extraLocations, 0, locations, 2, extraLocations.length);
        this.flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(db.dataSource())
                .locations(locations)
                .cleanDisabled(true)
                .validateMigrationNaming(true)
                .loggers("slf4j")
                .load();
    }

    public record Status(Optional<String> current, String latestKnown, int pending) {
    }

    /** Applies pending migrations; refuses, changing nothing, a database a newer Shoal has migrated. */
    public Status migrate() {
        refuseNewerSchema();
        MigrateResult r = flyway.migrate();
        if (!r.success) {
            throw new IllegalStateException("database migration failed: " + r.warnings);
        }
        return status();
    }

    public Status status() {
        MigrationInfoService info = flyway.info();
        List<MigrationInfo> all = Arrays.asList(info.all());
        String latestKnown = all.stream().filter(m -> m.getState().isResolved())
                .map(m -> m.getVersion().getVersion()).reduce((a, b) -> b).orElse("0");
        return new Status(Optional.ofNullable(info.current()).map(m -> m.getVersion().getVersion()),
                latestKnown, info.pending().length);
    }

    public void refuseNewerSchema() {
        MigrationInfoService info = flyway.info();
        Optional<MigrationInfo> future = Arrays.stream(info.all())
                .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED)
                .reduce((a, b) -> b);
        if (future.isPresent()) {
            throw new SchemaTooNewException(future.get().getVersion().getVersion(), status().latestKnown());
        }
    }

    public static final class SchemaTooNewException extends RuntimeException {
        public SchemaTooNewException(String found, String known) {
            super("the database schema is at version " + found + ", written by a newer Shoal; this build knows up to "
                    + known + ". Run the newer shoal-controller, or restore the backup taken before the upgrade "
                    + "(docs/operations.md, Rollback)");
        }
    }
}

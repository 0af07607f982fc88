package dev.shoal.controller.cli;

import dev.shoal.controller.config.ConfigException;
import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.store.Database;
import dev.shoal.controller.store.DatabaseMaintenance;
import dev.shoal.controller.store.Migrations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Database maintenance, safe while the controller serves. These commands never migrate: a backup taken with
 * a newer binary before an upgrade must copy the old schema as it is.
 */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Database maintenance (safe while serving).",
        subcommands = {DbCommand.Backup.class, DbCommand.Check.class, DbCommand.Vacuum.class})
final class DbCommand {

    @FunctionalInterface
    interface Action {
        int run(Database db, DatabaseMaintenance maintenance) throws Exception;
    }

    static int withDatabase(CommandSpec spec, Console console, Action action) {
        ControllerConfig config;
        try {
            config = ConfigOptions.load(spec, console.environment());
        } catch (ConfigException e) {
            return Exit.configError(console, e);
        }
        Path file = config.paths().dbPath();
        if (!Files.exists(file)) {
            return Exit.failure(console, "no database at " + file + " (DB_PATH); nothing to do");
        }
        try (Database db = Database.open(file, Optional.empty())) {
            return action.run(db, new DatabaseMaintenance(db));
        } catch (Exception e) {
            return Exit.failure(console, "db " + spec.name() + ": " + e.getMessage());
        }
    }

    @Command(name = "backup", mixinStandardHelpOptions = true,
            description = "Copy the database to FILE online (a consistent snapshot), then verify the copy.")
    static final class Backup implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "Where to write the copy; must not exist yet.")
        Path target;
        private final Console console;

        Backup(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() {
            return withDatabase(spec, console, (db, m) -> {
                var r = m.backup(target);
                console.out().printf("backed up %s to %s: %d bytes, %d jobs, %d events, integrity ok%n",
                        db.file(), r.file(), r.bytes(), r.jobs(), r.events());
                return Exit.OK;
            });
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Check integrity, foreign keys and schema version; exit 1 on any problem.")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        private final Console console;

        Check(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() {
            return withDatabase(spec, console, (db, m) -> {
                Migrations migrations = new Migrations(db);
                migrations.refuseNewerSchema();
                var r = m.check(migrations);
                console.out().printf("database %s: schema %s (this build knows up to %s, %d pending), %d jobs, %d events%n",
                        db.file(), r.schema().current().orElse("none"), r.schema().latestKnown(), r.schema().pending(),
                        r.jobs(), r.events());
                r.problems().forEach(p -> console.out().println("problem: " + p));
                console.out().println(r.ok() ? "ok" : "NOT OK");
                return r.ok() ? Exit.OK : Exit.FAILED;
            });
        }
    }

    @Command(name = "vacuum", mixinStandardHelpOptions = true,
            description = "Rebuild the database file to reclaim free pages (brief write pause).")
    static final class Vacuum implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        private final Console console;

        Vacuum(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() {
            return withDatabase(spec, console, (db, m) -> {
                long freed = m.vacuum();
                console.out().printf("vacuumed %s: %d bytes freed%n", db.file(), Math.max(0, freed));
                return Exit.OK;
            });
        }
    }
}

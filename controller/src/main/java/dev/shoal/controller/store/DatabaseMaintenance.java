package dev.shoal.controller.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Online backup, integrity check and vacuum: what {@code shoal-controller db ...} runs, safe while serving. */
public final class DatabaseMaintenance {
    private final Database db;

    public DatabaseMaintenance(Database db) {
        this.db = db;
    }

    public record BackupResult(Path file, long bytes, long jobs, long events) {
    }

    /**
     * Copies the database with {@code VACUUM INTO}: one read transaction, so the copy is a consistent snapshot
     * even while the controller writes, and unlike the page-by-page backup API it never restarts under load.
     * The copy is written beside the target, checked, fsynced, then renamed into place.
     */
    public BackupResult backup(Path target) throws IOException, SQLException {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            throw new FileAlreadyExistsException(abs + " exists; choose a new name (a backup never overwrites)");
        }
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("directory " + dir + " does not exist");
        }
        Path tmp = dir.resolve("." + abs.getFileName() + ".partial-" + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        try {
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement s = c.prepareStatement("VACUUM INTO ?")) {
                s.setString(1, tmp.toString());
                s.execute();
            }
            BackupResult verified = verify(tmp);
            // VACUUM INTO creates the copy world-readable; job metadata is the operator's business only.
            Files.setPosixFilePermissions(tmp, AtomicFiles.OWNER_ONLY);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            publish(tmp, abs);
            AtomicFiles.fsyncDirectory(dir);
            return new BackupResult(abs, Files.size(abs), verified.jobs(), verified.events());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Links the finished copy into place, which unlike rename never replaces a file that appeared meanwhile;
     * on a filesystem without hard links (some network mounts) it falls back to rename.
     */
    private static void publish(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(target + " appeared during the backup; choose a new name (a backup never overwrites)");
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Opens a database file on its own and checks it is whole; used on every backup before it is kept. */
    public static BackupResult verify(Path file) throws SQLException, IOException {
        // A file: URI, so %, ? and # in the name must be escaped: unescaped, "weekly #1.db" opened (and created)
        // an empty ".weekly " instead, which then passed as a verified copy.
        String path = file.toAbsolutePath().toString().replace("%", "%25").replace("?", "%3f").replace("#", "%23");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + path + "?mode=ro");
             Statement s = c.createStatement()) {
            List<String> problems = integrity(s);
            if (!problems.isEmpty()) {
                throw new IOException("copy " + file + " failed its integrity check: " + problems);
            }
            return new BackupResult(file, Files.size(file), count(s, "jobs"), count(s, "job_events"));
        }
    }

    public record CheckResult(List<String> problems, long jobs, long events, Migrations.Status schema) {
        public boolean ok() {
            return problems.isEmpty() && schema.pending() == 0;
        }
    }

    public CheckResult check(Migrations migrations) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            List<String> problems = integrity(s);
            try (ResultSet rs = s.executeQuery("PRAGMA foreign_key_check")) {
                while (rs.next()) {
                    problems.add("foreign key violation in " + rs.getString(1) + " row " + rs.getLong(2));
                }
            }
            return new CheckResult(problems, count(s, "jobs"), count(s, "job_events"), migrations.status());
        }
    }

    public long vacuum() throws SQLException, IOException {
        long before = Files.size(db.file());
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("VACUUM");
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            s.execute("PRAGMA optimize");
        }
        return before - Files.size(db.file());
    }

    private static List<String> integrity(Statement s) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            while (rs.next()) {
                if (!"ok".equals(rs.getString(1))) {
                    problems.add(rs.getString(1));
                }
            }
        }
        return problems;
    }

    private static long count(Statement s, String table) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            return 0; // an empty, never-migrated database has no tables yet
        }
    }
}

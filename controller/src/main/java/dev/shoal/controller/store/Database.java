package dev.shoal.controller.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.HandleCallback;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The controller's SQLite database in WAL mode. Write transactions begin IMMEDIATE so that two writers wait
 * for each other (busy_timeout) instead of failing on a read-to-write upgrade; synchronous=FULL because a
 * job's state must survive a power cut, and the write rate here is low.
 */
public final class Database implements AutoCloseable {
    private final Path file;
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final ReentrantLock writeLock = new ReentrantLock(true);

    private Database(Path file, HikariDataSource dataSource) {
        this.file = file;
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    public static Database open(Path file, Optional<MeterRegistry> metrics) throws IOException {
        AtomicFiles.ensureDirectory(file.toAbsolutePath().getParent());
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        sqlite.enforceForeignKeys(true);
        sqlite.setBusyTimeout(15_000);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource ds = new SQLiteDataSource(sqlite);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());

        HikariConfig hc = new HikariConfig();
        hc.setDataSource(ds);
        hc.setPoolName("shoal-db");
        hc.setMaximumPoolSize(4);
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(30_000);
        metrics.ifPresent(hc::setMetricRegistry);
        try {
            return new Database(file, new HikariDataSource(hc));
        } catch (RuntimeException e) {
            throw new IOException("cannot open database " + file + ": " + rootMessage(e), e);
        }
    }

    public Path file() {
        return file;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /**
     * Runs a write transaction. This process's writers queue here, in Java, instead of in SQLite's busy
     * handler: a busy wait inside the native driver pins a virtual thread to its carrier, and with as few
     * carriers as cores, waiting writers could starve the very writer they wait for.
     */
    public <R, X extends Exception> R write(HandleCallback<R, X> transaction) throws X {
        writeLock.lock();
        try {
            return jdbi.inTransaction(transaction);
        } finally {
            writeLock.unlock();
        }
    }

    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    /** True when a connection can be had and answers a query: what /readyz reports. */
    public boolean ping() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            return s.executeQuery("SELECT 1").next();
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /** Folds the WAL back into the main file so a clean stop leaves one self-contained database file. */
    @Override
    public void close() {
        if (dataSource.isClosed()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            // best effort: SQLite replays the WAL on the next open anyway
        }
        dataSource.close();
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}

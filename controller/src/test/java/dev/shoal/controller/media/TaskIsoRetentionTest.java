package dev.shoal.controller.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TaskIsoRetentionTest {
    static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    static final String OLD = "01890a5d-ac96-774b-bcce-b302099a8001";
    static final String RECENT = "01890a5d-ac96-774b-bcce-b302099a8002";
    static final String RUNNING = "01890a5d-ac96-774b-bcce-b302099a8003";
    static final String UNKNOWN = "01890a5d-ac96-774b-bcce-b302099a8004";
    static final String UNKNOWN_FRESH = "01890a5d-ac96-774b-bcce-b302099a8005";
    static final String OLD_RUNNING = "01890a5d-ac96-774b-bcce-b302099a8006";

    static void dir(Path tasks, String job, int bytes, Instant mtime) throws Exception {
        Path d = Files.createDirectories(tasks.resolve(job));
        Files.write(d.resolve("task.iso"), new byte[bytes]);
        Files.setLastModifiedTime(d, FileTime.from(mtime));
    }

    @Test
    void removesOnlyLongEndedAndUnknownJobs(@TempDir Path tasks) throws Exception {
        Instant longAgo = NOW.minus(Duration.ofDays(30));
        dir(tasks, OLD, 1000, longAgo);
        dir(tasks, RECENT, 2000, longAgo);
        dir(tasks, RUNNING, 3000, longAgo);
        dir(tasks, OLD_RUNNING, 3000, longAgo);
        dir(tasks, UNKNOWN, 4000, longAgo);
        dir(tasks, UNKNOWN_FRESH, 5000, NOW.minusSeconds(60));
        Files.createDirectories(tasks.resolve("lost+found"));
        Files.writeString(tasks.resolve("README"), "not ours");
        Path outside = Files.createDirectories(tasks.resolveSibling(tasks.getFileName() + "-outside"));
        Files.writeString(outside.resolve("keep"), "keep");
        Files.createSymbolicLink(tasks.resolve(OLD).resolve("link"), outside);

        Map<String, JobStatus> jobs = Map.of(
                OLD, new JobStatus.Ended(NOW.minus(Duration.ofDays(15))),
                RECENT, new JobStatus.Ended(NOW.minus(Duration.ofDays(13))),
                RUNNING, new JobStatus.Running(),
                OLD_RUNNING, new JobStatus.Running());
        var retention = new TaskIsoRetention(tasks, 14, id -> jobs.getOrDefault(id, new JobStatus.Unknown()),
                InstantSource.fixed(NOW));

        TaskIsoRetention.Freed freed = retention.sweep();

        assertThat(freed).isEqualTo(new TaskIsoRetention.Freed(2, 5000));
        assertThat(tasks.resolve(OLD)).doesNotExist();
        assertThat(tasks.resolve(UNKNOWN)).doesNotExist();
        assertThat(tasks.resolve(RECENT).resolve("task.iso")).exists();
        assertThat(tasks.resolve(RUNNING).resolve("task.iso")).exists();
        assertThat(tasks.resolve(OLD_RUNNING).resolve("task.iso")).exists();
        assertThat(tasks.resolve(UNKNOWN_FRESH).resolve("task.iso")).exists();
        assertThat(tasks.resolve("lost+found")).exists();
        assertThat(tasks.resolve("README")).exists();
        assertThat(outside.resolve("keep")).exists(); // the symlink was removed, not followed

        assertThat(retention.sweep()).isEqualTo(new TaskIsoRetention.Freed(0, 0));
    }

    @Test
    void zeroDaysRemovesAsSoonAsEnded(@TempDir Path tasks) throws Exception {
        dir(tasks, OLD, 10, NOW);
        var retention = new TaskIsoRetention(tasks, 0, id -> new JobStatus.Ended(NOW.minusSeconds(1)), InstantSource.fixed(NOW));
        assertThat(retention.sweep().directories()).isEqualTo(1);
    }

    @Test
    void statusFromTheStoresLookup() {
        assertThat(JobStatus.of(java.util.Optional.empty())).isInstanceOf(JobStatus.Unknown.class);
        assertThat(JobStatus.of(java.util.Optional.of(java.util.Optional.empty()))).isInstanceOf(JobStatus.Running.class);
        assertThat(JobStatus.of(java.util.Optional.of(java.util.Optional.of(NOW)))).isEqualTo(new JobStatus.Ended(NOW));
    }

    @Test
    void missingDirectoryFreesNothing(@TempDir Path tmp) throws Exception {
        var retention = new TaskIsoRetention(tmp.resolve("none"), 14, id -> new JobStatus.Unknown(), InstantSource.fixed(NOW));
        assertThat(retention.sweep()).isEqualTo(new TaskIsoRetention.Freed(0, 0));
    }
}

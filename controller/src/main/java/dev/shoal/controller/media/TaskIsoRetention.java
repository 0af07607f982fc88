package dev.shoal.controller.media;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * 036 §11: removes {@code TASK_ISO_DIR/{job_id}} once its job ended more than JOB_RETENTION_DAYS ago, and the
 * directories of jobs the store does not know. Never touches a job that has not ended, nor anything whose name
 * is not a job id (it is not ours). An unknown job's directory is kept for a grace period after it was last
 * modified, so a directory written just before its job's row is visible to this lookup is not taken.
 */
public final class TaskIsoRetention {
    private static final Logger LOG = LoggerFactory.getLogger(TaskIsoRetention.class);
    public static final Duration UNKNOWN_JOB_GRACE = Duration.ofHours(1);

    /** What one sweep removed. */
    public record Freed(int directories, long bytes) {
    }

    private final Path taskIsoDir;
    private final Duration retention;
    private final Function<String, JobStatus> lookup;
    private final InstantSource clock;

    public TaskIsoRetention(Path taskIsoDir, int retentionDays, Function<String, JobStatus> lookup, InstantSource clock) {
        if (retentionDays < 0) {
            throw new IllegalArgumentException("JOB_RETENTION_DAYS must not be negative: " + retentionDays);
        }
        this.taskIsoDir = taskIsoDir.toAbsolutePath().normalize();
        this.retention = Duration.ofDays(retentionDays);
        this.lookup = lookup;
        this.clock = clock;
    }

    /** One pass over TASK_ISO_DIR. A directory that cannot be removed is logged and left for the next pass. */
    public Freed sweep() throws IOException {
        if (!Files.isDirectory(taskIsoDir)) {
            return new Freed(0, 0);
        }
        Instant now = clock.instant();
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(taskIsoDir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (TaskIsoPath.isJobId(name) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    candidates.add(p);
                }
            }
        }
        int dirs = 0;
        long bytes = 0;
        for (Path dir : candidates) {
            String jobId = dir.getFileName().toString();
            try {
                if (!expired(jobId, dir, now)) {
                    continue;
                }
                bytes += TaskDirs.deleteTree(dir);
                dirs++;
            } catch (NoSuchFileException gone) {
                // removed meanwhile (the engine's own delete): nothing to do
            } catch (IOException e) {
                LOG.atWarn().addKeyValue("job_id", jobId).addKeyValue("error", e.toString())
                        .log("cannot remove task ISO directory; will retry on the next sweep");
            }
        }
        if (dirs > 0) {
            LOG.atInfo().addKeyValue("directories", dirs).addKeyValue("bytes", bytes).log("task ISO retention freed space");
        }
        return new Freed(dirs, bytes);
    }

    private boolean expired(String jobId, Path dir, Instant now) throws IOException {
        return switch (lookup.apply(jobId)) {
            case JobStatus.Running r -> false;
            case JobStatus.Ended e -> e.at().plus(retention).isBefore(now);
            case JobStatus.Unknown u -> Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant()
                    .plus(UNKNOWN_JOB_GRACE).isBefore(now);
        };
    }
}

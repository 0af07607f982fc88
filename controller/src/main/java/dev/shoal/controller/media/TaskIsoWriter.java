package dev.shoal.controller.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.shoal.iso.IsoWriter;
import dev.shoal.controller.store.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.InstantSource;

/**
 * Writes {@code TASK_ISO_DIR/{job_id}/task.iso} (volume label {@code SHOAL-TASK}) from a {@link TaskFile}.
 * Rewriting replaces the image atomically (IsoWriter writes a temporary file, fsyncs and renames), so a BMC
 * reading ranges never sees half an image; its ETag changes with the new file.
 */
public final class TaskIsoWriter {
    public static final String VOLUME_ID = "SHOAL-TASK";
    /** Inside the image: only root (the agent) reads a task ISO's files once it is mounted. */
    private static final int FILE_MODE_IN_ISO = 0400;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path taskIsoDir;
    private final InstantSource clock;

    public TaskIsoWriter(Path taskIsoDir, InstantSource clock) {
        this.taskIsoDir = taskIsoDir.toAbsolutePath().normalize();
        this.clock = clock;
    }

    /** The image's path for a job, whether or not it exists. */
    public Path isoPath(String jobId) {
        return jobDir(jobId).resolve(TaskIsoPath.FILE_NAME);
    }

    public Path write(TaskFile task) throws IOException {
        Path dir = jobDir(task.jobId());
        AtomicFiles.ensureDirectory(taskIsoDir);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(AtomicFiles.DIR_0750));
        }
        // set, not only requested at creation: the umask may have removed bits, and an old directory may be wider
        Files.setPosixFilePermissions(dir, AtomicFiles.DIR_0750);

        IsoWriter.Builder iso = IsoWriter.builder()
                .volumeId(VOLUME_ID)
                .timestamp(clock.instant())
                .file(TaskFile.TASK_JSON, JSON.writeValueAsBytes(task.task()), FILE_MODE_IN_ISO);
        task.extraFiles().forEach((name, bytes) -> iso.file(name, bytes, FILE_MODE_IN_ISO));
        Path target = dir.resolve(TaskIsoPath.FILE_NAME);
        // IsoWriter's temporary file is made by Files.createTempFile, which is 0600 from the start, and the rename
        // keeps that mode; setting it again guards against that ever changing, since task.json holds secrets
        iso.build().writeTo(target);
        Files.setPosixFilePermissions(target, AtomicFiles.OWNER_ONLY);
        return target;
    }

    /** Removes the job's directory; returns the bytes freed (0 if there was none). */
    public long delete(String jobId) throws IOException {
        return TaskDirs.deleteTree(jobDir(jobId));
    }

    private Path jobDir(String jobId) {
        if (!TaskIsoPath.isJobId(jobId)) {
            throw new IllegalArgumentException("not a job id (lower-case UUID): " + jobId);
        }
        return taskIsoDir.resolve(jobId);
    }
}

package dev.shoal.agent.configdrive;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.agent.StepFailure;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * util-linux {@code sfdisk}, the maintenance OS's partitioner. It works on a block device and on a plain file alike,
 * and {@code --append} adds a partition without rewriting the others. Runs under {@code LC_ALL=C} so its messages
 * (which the failures quote, and {@link #read} matches) are not translated.
 */
public final class Sfdisk {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NO_TABLE = "does not contain a recognized partition table";
    private static final long TIMEOUT_SECONDS = 120;
    private final Optional<Path> binary;

    public Sfdisk(Optional<Path> binary) {
        this.binary = binary;
    }

    /** Looks sfdisk up on {@code searchPath} (a PATH value); /sbin and /usr/sbin too, as they are often not on a user's PATH. */
    public static Sfdisk onPath(String searchPath) {
        List<String> dirs = new ArrayList<>(searchPath == null ? List.of() : List.of(searchPath.split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        for (String dir : dirs) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, "sfdisk");
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return new Sfdisk(Optional.of(p));
                }
            }
        }
        return new Sfdisk(Optional.empty());
    }

    /** Fails before any download if a config drive is asked for and sfdisk is missing. */
    public void require() throws StepFailure {
        if (binary.isEmpty()) {
            throw new StepFailure(ConfigDriveWriter.STEP, "a config drive needs sfdisk (util-linux) in the maintenance OS, and it has none");
        }
    }

    /** The disk's table, or empty if it has none sfdisk recognises (a bare filesystem, a blank disk). */
    public Optional<PartitionTable> read(Path disk) throws StepFailure {
        Result r = run(List.of("--json", disk.toString()), "");
        if (r.rc != 0) {
            if (r.err.contains(NO_TABLE)) {
                return Optional.empty();
            }
            throw new StepFailure(ConfigDriveWriter.STEP, "sfdisk --json failed (exit " + r.rc + "): " + r.err);
        }
        try {
            return Optional.of(PartitionTable.parse(JSON.readTree(r.out)));
        } catch (IOException | IllegalArgumentException e) {
            throw new StepFailure(ConfigDriveWriter.STEP, "cannot read the partition table of " + disk + ": " + e.getMessage(), e);
        }
    }

    /**
     * Moves the backup GPT to the disk's end. An image carries its backup table where the image ended; on a
     * larger disk that leaves the space after it unusable (last usable LBA is the image's), so it moves first.
     */
    public void relocateBackupGpt(Path disk) throws StepFailure {
        check(run(List.of("-q", "--no-reread", "--relocate", "gpt-bak-std", disk.toString()), ""), "--relocate gpt-bak-std");
    }

    /**
     * Adds one partition; {@code --append} leaves the existing entries as they are. No signature wiping: sfdisk
     * must not touch bytes outside the table (the new partition's content is written by the caller).
     */
    public void append(Path disk, Placement p, PartitionTable.Label label, String name) throws StepFailure {
        String line = "start=" + p.start() + ", size=" + p.size() + ", type=L"
                + (label == PartitionTable.Label.GPT ? ", name=\"" + name + "\"" : "") + "\n";
        check(run(List.of("-q", "--append", "--no-reread", "--wipe", "never", "--wipe-partitions", "never", disk.toString()),
                line), "--append");
    }

    private static void check(Result r, String what) throws StepFailure {
        if (r.rc != 0) {
            throw new StepFailure(ConfigDriveWriter.STEP, "sfdisk " + what + " failed (exit " + r.rc + "): " + r.err);
        }
    }

    private record Result(int rc, String out, String err) {
    }

    private Result run(List<String> args, String stdin) throws StepFailure {
        require();
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.get().toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LC_ALL", "C");
        try {
            Process p = pb.start();
            CompletableFuture<String> err = drain(p.getErrorStream());
            CompletableFuture<String> out = drain(p.getInputStream());
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // sfdisk exited without reading its script: its exit code and message say why
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new StepFailure(ConfigDriveWriter.STEP, "sfdisk " + String.join(" ", args) + " did not finish in "
                        + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), out.join(), err.join().strip());
        } catch (IOException e) {
            throw new StepFailure(ConfigDriveWriter.STEP, "cannot run sfdisk: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure(ConfigDriveWriter.STEP, "sfdisk interrupted", e);
        }
    }

    /** Reads a pipe on its own thread so neither pipe can fill up and stall the process. */
    private static CompletableFuture<String> drain(InputStream s) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (s) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                s.transferTo(b);
                f.complete(b.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.completeExceptionally(new UncheckedIOException(e));
            }
        });
        return f;
    }
}

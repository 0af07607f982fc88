package dev.shoal.agent.task;

import dev.shoal.iso.IsoReader;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Finds the task when {@code --task} is not given: reads the ISO 9660 volume id of each candidate device (by
 * default the CD drives {@code /dev/sr*}, then every other whole block device, e.g. a USB virtual-media stick) and
 * takes the first labelled {@value #LABEL}. The CD may show up a few seconds after boot, so the scan is retried
 * ({@code attempts} times, {@code interval} apart) before failing with what was seen on each device.
 */
public final class TaskFinder {
    public static final String LABEL = "SHOAL-TASK";
    public static final int DEFAULT_ATTEMPTS = 30;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);

    /** Sleeps between attempts; tests pass one that does not. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final Supplier<List<Path>> candidates;
    private final int attempts;
    private final Duration interval;
    private final Sleeper sleeper;
    private final PrintStream err;

    public TaskFinder(Supplier<List<Path>> candidates, int attempts, Duration interval, Sleeper sleeper, PrintStream err) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1");
        }
        this.candidates = candidates;
        this.attempts = attempts;
        this.interval = interval;
        this.sleeper = sleeper;
        this.err = err;
    }

    /** {@code <dev>/sr*} sorted, then {@code <dev>/<name>} for every other {@code <sys>/block/<name>}. */
    public static List<Path> devices(Path dev, Path sys) {
        Set<Path> out = new LinkedHashSet<>(glob(dev, "sr*"));
        Path block = sys.resolve("block");
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(block)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(block)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (!n.startsWith("loop") && !n.startsWith("ram") && !n.startsWith("zram")) {
                        names.add(n);
                    }
                }
            } catch (IOException e) {
                // only the CD drives, then
            }
        }
        names.sort(null);
        for (String n : names) {
            out.add(dev.resolve(n));
        }
        return List.copyOf(out);
    }

    /** Files in {@code dir} whose names match the glob, sorted; empty if {@code dir} cannot be read. */
    public static List<Path> glob(Path dir, String pattern) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, pattern)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            return out;
        }
        out.sort(null);
        return out;
    }

    /** The device or image holding the {@value #LABEL} volume. */
    public Path find() throws TaskException {
        List<String> seen = List.of();
        for (int attempt = 1; attempt <= attempts; attempt++) {
            seen = new ArrayList<>();
            for (Path p : candidates.get()) {
                String label;
                try (IsoReader iso = IsoReader.open(p)) {
                    label = iso.volumeId();
                } catch (IOException | RuntimeException e) {
                    seen.add(p + ": not a readable ISO 9660 volume (" + e.getMessage() + ")");
                    continue;
                }
                if (LABEL.equals(label)) {
                    if (attempt > 1) {
                        err.println("shoal-agent: found the " + LABEL + " volume on " + p + " at attempt " + attempt);
                    }
                    return p;
                }
                seen.add(p + ": volume " + (label == null || label.isEmpty() ? "without a label" : label));
            }
            if (attempt < attempts) {
                try {
                    sleeper.sleep(interval);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TaskException("interrupted while looking for the " + LABEL + " volume", e);
                }
            }
        }
        throw new TaskException("no " + LABEL + " volume found after " + attempts + " attempt(s) " + interval.toMillis()
                + " ms apart (give --task PATH to name it); last scan: "
                + (seen.isEmpty() ? "no candidate devices" : String.join("; ", seen)), null);
    }
}

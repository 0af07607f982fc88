package dev.shoal.bmcsim.agentmachine;

import dev.shoal.bmcsim.machine.BootSource;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One boot of a simulated server, recorded once its outcome is known. {@code mediaLabels} maps each slot whose
 * medium was read to its ISO 9660 volume label ({@link #NOT_ISO} when it has none), in slot order; a CD boot
 * that failed part-way lists the media read before the failure.
 */
public record BootRecord(Instant started, Instant ended, BootSource source, Map<String, String> mediaLabels, Outcome outcome) {
    public static final String NOT_ISO = "(not an ISO 9660 image)";

    public BootRecord {
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(ended, "ended");
        Objects.requireNonNull(source, "source");
        mediaLabels = Collections.unmodifiableMap(new LinkedHashMap<>(mediaLabels));
        Objects.requireNonNull(outcome, "outcome");
    }

    /** How a boot ended. */
    public sealed interface Outcome permits AgentExited, Stopped, Failed, DiskBooted {
    }

    /** The maintenance OS booted and the agent ran to its end: 0 only if the image is written and reported. */
    public record AgentExited(int exitCode) implements Outcome {
    }

    /** Power went off (or a reset came) while the boot was in progress; the reason says during which phase. */
    public record Stopped(String reason) implements Outcome {
    }

    /**
     * The server never got as far as an agent: no media, a medium that could not be read, no SHOAL-TASK or no
     * maintenance OS. A real server hangs in its firmware or boot loader then, and nothing is reported.
     */
    public record Failed(String reason) implements Outcome {
    }

    /** The server booted its disk (no CD boot override, or no CD medium); what the firmware would find there. */
    public record DiskBooted(DiskCheck disk) implements Outcome {
    }

    public String describe() {
        String what = switch (outcome) {
            case AgentExited a -> "agent exited with " + a.exitCode();
            case Stopped s -> "stopped: " + s.reason();
            case Failed f -> "failed: " + f.reason();
            case DiskBooted d -> "disk boot: " + d.disk().description();
        };
        return source + " boot at " + started + " " + mediaLabels + ": " + what;
    }
}

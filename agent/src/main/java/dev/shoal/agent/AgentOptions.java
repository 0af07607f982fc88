package dev.shoal.agent;

import dev.shoal.agent.task.TaskFinder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code shoal-agent [--task PATH] [--disk PATH] [--heartbeat 10s] [--task-attempts 30] [--task-interval 1s]}.
 * Without {@code --task} the agent looks for the SHOAL-TASK volume on the CD drives, then on every block device,
 * {@code --task-attempts} times {@code --task-interval} apart. Without {@code --disk} it selects the disk from the
 * task's {@code recipe.root_device} hints (the smallest disk of 4 GiB or more when there are none), as Ironic does.
 */
public record AgentOptions(Optional<Path> task, Optional<Path> disk, Duration heartbeat, int taskAttempts,
                           Duration taskInterval) {
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    public static final String USAGE = "usage: shoal-agent [--task PATH] [--disk PATH] [--heartbeat 10s]"
            + " [--task-attempts 30] [--task-interval 1s]";
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    public static AgentOptions parse(String... args) {
        Path task = null;
        Path disk = null;
        Duration heartbeat = DEFAULT_HEARTBEAT;
        int attempts = TaskFinder.DEFAULT_ATTEMPTS;
        Duration interval = TaskFinder.DEFAULT_INTERVAL;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            String value;
            if (a.contains("=")) {
                value = a.substring(a.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value. " + USAGE);
            }
            switch (name) {
                case "--task" -> task = Path.of(value);
                case "--disk" -> disk = Path.of(value);
                case "--heartbeat" -> heartbeat = duration("--heartbeat", value);
                case "--task-attempts" -> attempts = count("--task-attempts", value);
                case "--task-interval" -> interval = duration("--task-interval", value);
                default -> throw new IllegalArgumentException("unknown option " + name + ". " + USAGE);
            }
        }
        return new AgentOptions(Optional.ofNullable(task), Optional.ofNullable(disk), heartbeat, attempts, interval);
    }

    /** A whole number from 1 to 10000. */
    static int count(String option, String text) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(option + " must be a whole number from 1 to 10000, not " + text);
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}; positive. */
    static Duration duration(String option, String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException(option + " must be a positive duration like 500ms, 10s, 2m, not " + text);
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}

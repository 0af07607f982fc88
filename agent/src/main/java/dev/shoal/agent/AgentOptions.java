package dev.shoal.agent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code shoal-agent --task PATH --disk PATH [--heartbeat 10s]}. */
public record AgentOptions(Path task, Path disk, Duration heartbeat) {
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    public static final String USAGE = "usage: shoal-agent --task PATH --disk PATH [--heartbeat 10s]";
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    public static AgentOptions parse(String... args) {
        Path task = null;
        Path disk = null;
        Duration heartbeat = DEFAULT_HEARTBEAT;
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
                default -> throw new IllegalArgumentException("unknown option " + name + ". " + USAGE);
            }
        }
        if (task == null) {
            throw new IllegalArgumentException("--task is required. " + USAGE);
        }
        if (disk == null) {
            throw new IllegalArgumentException("--disk is required (selecting it from root device hints is not implemented yet). " + USAGE);
        }
        return new AgentOptions(task, disk, heartbeat);
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

package dev.shoal.controller.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 30s}, {@code 10m}, {@code 4h}, {@code 1h30m}, {@code 500ms}, {@code 2d}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");

    private Durations() {
    }

    public static Duration parse(String text) {
        String t = text.strip();
        if (!WHOLE.matcher(t).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration (write it like 30s, 10m, 4h or 1h30m)");
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(t);
        while (m.find()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\" is too large a duration");
            }
            try {
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("\"" + text + "\" is too large a duration");
            }
        }
        return total;
    }

    /** The shortest form {@link #parse} reads back, for showing effective configuration. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        if (days > 0) sb.append(days).append('d');
        if (d.toHoursPart() > 0) sb.append(d.toHoursPart()).append('h');
        if (d.toMinutesPart() > 0) sb.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0) sb.append(d.toSecondsPart()).append('s');
        if (d.toMillisPart() > 0) sb.append(d.toMillisPart()).append("ms");
        return sb.toString();
    }
}

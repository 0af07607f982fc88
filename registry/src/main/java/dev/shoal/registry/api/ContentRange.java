package dev.shoal.registry.api;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code Content-Range: <start>-<end>} of a chunk PATCH (inclusive, as the spec writes it). Some clients prefix
 * it with {@code bytes } as in HTTP's own Content-Range, or add {@code /total}; both are accepted.
 */
record ContentRange(long start, long end) {
    private static final Pattern RANGE = Pattern.compile("(?:bytes[ =])?(\\d{1,18})-(\\d{1,18})(?:/(?:\\d+|\\*))?");

    /** Empty if the header is absent; throws if it is present but malformed. */
    static Optional<ContentRange> parse(String header) throws RegistryError {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = RANGE.matcher(header.strip());
        if (!m.matches()) {
            throw new RegistryError(ErrorCode.RANGE_INVALID, "Content-Range must be <start>-<end>, got '"
                    + (header.length() > 60 ? header.substring(0, 60) + "..." : header) + "'");
        }
        long start = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        if (end < start) {
            throw new RegistryError(ErrorCode.RANGE_INVALID, "Content-Range end " + end + " is before its start " + start);
        }
        return Optional.of(new ContentRange(start, end));
    }

    long length() {
        return end - start + 1;
    }
}

package dev.shoal.registry.api;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of a {@code Range: bytes=...} request header, resolved against the blob's size. Only single
 * ranges are served as 206; a header we do not understand, or several ranges, is ignored and the whole blob is
 * sent (RFC 9110 allows both), which every registry client copes with.
 */
record ByteRange(long start, long length) {
    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d*)-(\\d*)");

    sealed interface Result {
    }

    record Whole() implements Result {
    }

    record Partial(ByteRange range) implements Result {
    }

    record Unsatisfiable() implements Result {
    }

    static Result of(String header, long size) {
        if (header == null) {
            return new Whole();
        }
        Matcher m = SINGLE.matcher(header.strip());
        if (!m.matches() || m.group(1).isEmpty() && m.group(2).isEmpty()) {
            return new Whole();
        }
        Optional<Long> first = number(m.group(1));
        Optional<Long> last = number(m.group(2));
        if (m.group(1).isEmpty()) { // suffix: the last N bytes
            long n = last.orElse(-1L);
            if (n < 0) {
                return new Whole();
            }
            if (n == 0 || size == 0) {
                return new Unsatisfiable();
            }
            long len = Math.min(n, size);
            return new Partial(new ByteRange(size - len, len));
        }
        if (first.isEmpty() || !m.group(2).isEmpty() && last.isEmpty()) {
            return new Whole(); // numbers too large to be real
        }
        long start = first.get();
        if (last.isPresent() && last.get() < start) {
            return new Whole(); // syntactically invalid: ignore
        }
        if (start >= size) {
            return new Unsatisfiable();
        }
        long end = Math.min(last.orElse(size - 1), size - 1);
        return new Partial(new ByteRange(start, end - start + 1));
    }

    private static Optional<Long> number(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(digits));
    }

    long end() {
        return start + length - 1;
    }
}

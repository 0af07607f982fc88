package dev.shoal.controller.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A secret value that cannot leak by accident: its {@code toString} is a mask, so it is safe in log lines,
 * exception messages and records. Code that needs the value asks for it by name with {@link #reveal()}.
 */
public final class Secret {
    public static final String MASK = "******";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    public String reveal() {
        return value;
    }

    public byte[] utf8() {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    public int length() {
        return value.length();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && java.security.MessageDigest.isEqual(utf8(), s.utf8());
    }

    @Override
    public int hashCode() {
        return 0; // equal secrets must hash alike; a constant reveals nothing
    }

    @Override
    public String toString() {
        return MASK;
    }
}

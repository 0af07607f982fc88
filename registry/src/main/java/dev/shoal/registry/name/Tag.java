package dev.shoal.registry.name;

import java.util.regex.Pattern;

/** A tag as the distribution spec defines it: at most 128 characters, never starting with '.' or '-'. */
public record Tag(String value) {
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    public Tag {
        if (value == null || !TAG.matcher(value).matches()) {
            throw new InvalidNameException("invalid tag '" + (value == null ? "" : value.length() > 80 ? value.substring(0, 80) + "..." : value)
                    + "': must match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}

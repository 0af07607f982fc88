package dev.shoal.registry.name;

import java.util.regex.Pattern;

/**
 * A repository name as the distribution spec defines it: lower-case path components separated by '/', each
 * component alphanumeric runs joined by '.', '_', '__' or dashes. The grammar alone rules out empty components,
 * '.', '..' and leading or trailing separators, so a valid name is always a safe relative path under storage.
 */
public record RepositoryName(String value) {
    private static final Pattern NAME = Pattern.compile(
            "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    /** The spec's limit on name plus registry host; we cannot know the host, so apply it to the name. */
    public static final int MAX_LENGTH = 255;

    public RepositoryName {
        if (value == null || value.isEmpty()) {
            throw new InvalidNameException("repository name is empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new InvalidNameException("repository name is longer than " + MAX_LENGTH + " characters");
        }
        if (!NAME.matcher(value).matches()) {
            throw new InvalidNameException("invalid repository name '" + abbreviate(value) + "': components must match "
                    + "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*, separated by '/'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    @Override
    public String toString() {
        return value;
    }
}

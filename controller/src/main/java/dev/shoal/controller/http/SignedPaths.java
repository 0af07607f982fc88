package dev.shoal.controller.http;

import java.util.regex.Pattern;

/**
 * Masks the signature of {@code /media/tasks/{job_id}/{expires}/{sig}/...} wherever it appears (a request path, an
 * event's message): until it expires, the signed URL reads the task ISO, which holds the agent's token. The segment
 * is masked whatever its shape, since even a malformed one may be a real signature mistyped.
 */
public final class SignedPaths {
    private static final Pattern SIGNED = Pattern.compile("(/media/tasks/[^/\\s]+/[^/\\s]+/)[^/\\s]+");

    private SignedPaths() {
    }

    public static String mask(String text) {
        return text == null ? "" : SIGNED.matcher(text).replaceAll("$1******");
    }
}

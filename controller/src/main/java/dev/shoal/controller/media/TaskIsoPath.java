package dev.shoal.controller.media;

import java.util.Optional;

/**
 * The three variable segments of {@code /media/tasks/{job_id}/{expires_unix}/{sig}/task.iso}, checked for shape
 * only (the signature is {@link UrlSigner}'s business). Each segment has exactly one accepted spelling, so no
 * segment can ever be {@code ..}, empty, absolute or carry a separator, whatever the decoder did before us.
 */
public record TaskIsoPath(String jobId, String expires, String signature) {
    public static final String PREFIX = "/media/tasks/";
    public static final String FILE_NAME = "task.iso";

    // Checked character by character rather than with regular expressions: a BMC reads one ISO in thousands of
    // ranges, and the three matchers were a visible part of the CPU per range.

    /** Lower-case canonical UUID ({@code 8-4-4-4-12} hex), as {@code JobIds} makes them; also the job's directory. */
    public static boolean isJobId(String s) {
        if (s == null || s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23 ? c == '-' : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Unix seconds without sign or leading zeros; 12 digits reach the year 33658, and cannot overflow a long. */
    static boolean isExpires(String s) {
        if (s == null || s.isEmpty() || s.length() > 12 || (s.length() > 1 && s.charAt(0) == '0')) {
            return false;
        }
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** base64url of 32 bytes without padding is exactly 43 characters. */
    static boolean isSignature(String s) {
        if (s == null || s.length() != 43) {
            return false;
        }
        for (int i = 0; i < 43; i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    public static boolean wellFormed(String jobId, String expires, String signature) {
        return isJobId(jobId) && isExpires(expires) && isSignature(signature);
    }

    /** Parses a full decoded request path; empty unless it has exactly the signed-media shape. */
    public static Optional<TaskIsoPath> parse(String path) {
        if (path == null || !path.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] s = path.substring(PREFIX.length()).split("/", -1);
        if (s.length != 4 || !s[3].equals(FILE_NAME) || !wellFormed(s[0], s[1], s[2])) {
            return Optional.empty();
        }
        return Optional.of(new TaskIsoPath(s[0], s[1], s[2]));
    }

    /** The file under TASK_ISO_DIR, relative, built from the validated job id only. */
    public String fileInTaskDir() {
        return "/" + jobId + "/" + FILE_NAME;
    }

    @Override
    public String toString() {
        // the signature is a bearer credential for the ISO (which holds the agent token): never print it
        return PREFIX + jobId + "/" + expires + "/******/" + FILE_NAME;
    }
}

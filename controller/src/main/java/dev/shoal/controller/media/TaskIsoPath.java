package dev.shoal.controller.media;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The three variable segments of {@code /media/tasks/{job_id}/{expires_unix}/{sig}/task.iso}, checked for shape
 * only (the signature is {@link UrlSigner}'s business). Each segment has exactly one accepted spelling, so no
 * segment can ever be {@code ..}, empty, absolute or carry a separator, whatever the decoder did before us.
 */
public record TaskIsoPath(String jobId, String expires, String signature) {
    public static final String PREFIX = "/media/tasks/";
    public static final String FILE_NAME = "task.iso";

    /** Lower-case canonical UUID, as {@code JobIds} makes them; also the name of the job's directory. */
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Unix seconds without sign or leading zeros; 12 digits reach the year 33658, and cannot overflow a long. */
    private static final Pattern EXPIRES = Pattern.compile("0|[1-9][0-9]{0,11}");
    /** base64url of 32 bytes without padding is exactly 43 characters. */
    private static final Pattern SIGNATURE = Pattern.compile("[A-Za-z0-9_-]{43}");

    public static boolean isJobId(String s) {
        return s != null && JOB_ID.matcher(s).matches();
    }

    static boolean isExpires(String s) {
        return s != null && EXPIRES.matcher(s).matches();
    }

    static boolean isSignature(String s) {
        return s != null && SIGNATURE.matcher(s).matches();
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

package dev.shoal.controller.media;

import dev.shoal.controller.secrets.Secret;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Base64;
import java.util.Objects;

/**
 * Signs and checks task ISO URLs (DESIGN.md "Task ISO and signed media URLs"):
 * {@code sig = base64url-no-padding(HMAC-SHA256(SIGNED_URL_SECRET, job_id + "\n" + expires_unix))}. The signature
 * sits in the path because BMCs reject query strings. Thread-safe: a Mac is made per call (they are not
 * shareable, and one HMAC per request is cheap next to serving even a 2 KiB range).
 */
public final class UrlSigner {
    private static final String ALGORITHM = "HmacSHA256";

    /** Why a signed path was refused, or that it was not; the handler maps each to a status. */
    public enum Verdict { VALID, MALFORMED, BAD_SIGNATURE, EXPIRED }

    private final SecretKeySpec key;

    /**
     * URLs whose signature was already found good. A BMC reads one ISO in thousands of ranges through the same URL,
     * and the HMAC (with its Mac set-up) was a tenth of the CPU of serving a 64 KiB range. A hit needs the exact
     * string this controller signed, so it tells a client nothing it did not already hold; expiry is still checked
     * on every request. Bounded: cleared when full, which only costs a few HMACs again.
     */
    private final Map<String, Boolean> verified = new ConcurrentHashMap<>();
    static final int MAX_VERIFIED = 4096;

    public UrlSigner(Secret secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length() == 0) {
            throw new IllegalArgumentException("SIGNED_URL_SECRET is empty");
        }
        this.key = new SecretKeySpec(secret.utf8(), ALGORITHM);
    }

    /** {@code /media/tasks/{job_id}/{expires_unix}/{sig}/task.iso}. */
    public String path(String jobId, Instant expires) {
        if (!TaskIsoPath.isJobId(jobId)) {
            throw new IllegalArgumentException("not a job id (lower-case UUID): " + jobId);
        }
        String e = Long.toString(expires.getEpochSecond());
        if (!TaskIsoPath.isExpires(e)) {
            throw new IllegalArgumentException("expiry out of range: " + expires);
        }
        return TaskIsoPath.PREFIX + jobId + "/" + e + "/" + sign(jobId, e) + "/" + TaskIsoPath.FILE_NAME;
    }

    /**
     * The absolute URL a BMC is given. {@code publicBase} is how BMCs reach the controller (scheme, host, and an
     * optional path prefix when a proxy mounts it below the root); its query and fragment are not allowed.
     */
    public URI url(URI publicBase, String jobId, Instant expires) {
        if (!publicBase.isAbsolute() || publicBase.getRawQuery() != null || publicBase.getRawFragment() != null
                || publicBase.getRawAuthority() == null) {
            throw new IllegalArgumentException("public base URL must be scheme://host[:port][/prefix] without query: " + publicBase);
        }
        String base = publicBase.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + path(jobId, expires));
    }

    /**
     * Checks the three segments as they arrived. The signature is checked before the expiry, so "expired" is only
     * ever said of a URL this controller really issued; neither answer depends on whether the ISO exists.
     */
    public Verdict verify(String jobId, String expires, String sig, Instant now) {
        if (!TaskIsoPath.wellFormed(jobId, expires, sig)) {
            return Verdict.MALFORMED;
        }
        String presented = jobId + "/" + expires + "/" + sig;
        if (!verified.containsKey(presented)) {
            byte[] want = sign(jobId, expires).getBytes(StandardCharsets.US_ASCII);
            // constant time: a timing difference would let a client find the signature byte by byte
            if (!MessageDigest.isEqual(want, sig.getBytes(StandardCharsets.US_ASCII))) {
                return Verdict.BAD_SIGNATURE;
            }
            if (verified.size() >= MAX_VERIFIED) {
                verified.clear();
            }
            verified.put(presented, Boolean.TRUE);
        }
        return now.getEpochSecond() > Long.parseLong(expires) ? Verdict.EXPIRED : Verdict.VALID;
    }

    private String sign(String jobId, String expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] h = mac.doFinal((jobId + "\n" + expires).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "UrlSigner[key=" + Secret.MASK + "]";
    }
}

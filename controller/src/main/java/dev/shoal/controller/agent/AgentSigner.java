package dev.shoal.controller.agent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Produces {@code X-Shoal-Signature: t={unix},v1={hex HMAC-SHA256(job_key, t + "." + body)}}: for tests,
 * and for the agent, which should sign the exact bytes it sends (re-serialising JSON breaks the signature).
 */
public final class AgentSigner {
    public static final String HEADER = "X-Shoal-Signature";

    private AgentSigner() {
    }

    public static String header(JobKey key, Instant at, byte[] body) {
        long t = at.getEpochSecond();
        return "t=" + t + ",v1=" + v1(key, t, body);
    }

    /** The hex signature alone, for a header with several v1 values or for the verifier. */
    public static String v1(JobKey key, long unixSeconds, byte[] body) {
        return HexFormat.of().formatHex(mac(key, unixSeconds, body));
    }

    static byte[] mac(JobKey key, long unixSeconds, byte[] body) {
        return Hmac.sha256(key.bytes(), (unixSeconds + ".").getBytes(StandardCharsets.US_ASCII), body);
    }
}

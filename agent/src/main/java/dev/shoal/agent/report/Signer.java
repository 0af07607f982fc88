package dev.shoal.agent.report;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * {@code X-Shoal-Signature: t={unix},v1={hex HMAC-SHA256(job_key, t + "." + body)}} over the exact bytes sent
 * (DESIGN.md "Agent callbacks"); the same computation as the controller's AgentSigner, copied so the agent does
 * not depend on the controller.
 */
public final class Signer {
    public static final String HEADER = "X-Shoal-Signature";
    private final byte[] key;

    public Signer(byte[] jobKey) {
        this.key = jobKey.clone();
    }

    public String header(long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + v1(unixSeconds, body);
    }

    public String v1(long unixSeconds, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String toString() {
        return "Signer[***]";
    }
}

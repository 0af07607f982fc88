package dev.shoal.controller.agent;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Checks {@code X-Shoal-Signature} over the raw body bytes. Several {@code v1=} values are allowed (as in
 * Stripe's scheme) so an agent can sign with two keys across a rotation; unknown schemes ({@code v0=},
 * {@code v2=}) are ignored so a later scheme can be added without breaking this parser. The timestamp must be
 * within {@link #TOLERANCE} of the controller's clock either way: together with the sequence number check
 * this bounds how long a captured request could be replayed (not at all, once a later seq was accepted).
 */
public final class SignatureVerifier {
    public static final Duration TOLERANCE = Duration.ofMinutes(5);
    /** Bounds the work an authenticated but broken agent can make us do per request. */
    static final int MAX_HEADER_LENGTH = 1024;
    static final int MAX_SIGNATURES = 4;

    private final AgentKeys keys;
    private final InstantSource clock;

    public SignatureVerifier(AgentKeys keys, InstantSource clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * Empty when the signature is good; otherwise why not, for the caller's 401 message and the log. The
     * reason names what was wrong (format, clock skew, mismatch), never a key or an expected value.
     */
    public Optional<String> problem(String jobId, Optional<String> header, byte[] body) {
        if (header.isEmpty() || header.get().isBlank()) {
            return Optional.of("missing " + AgentSigner.HEADER + " header");
        }
        String h = header.get();
        if (h.length() > MAX_HEADER_LENGTH) {
            return Optional.of(AgentSigner.HEADER + " header is too long");
        }
        Long t = null;
        List<byte[]> signatures = new ArrayList<>();
        for (String part : h.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return Optional.of(AgentSigner.HEADER + " must look like t={unix},v1={hex}");
            }
            String name = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            switch (name) {
                case "t" -> {
                    if (t != null || !value.matches("[0-9]{1,12}")) {
                        return Optional.of(AgentSigner.HEADER + " needs exactly one t= with unix seconds");
                    }
                    t = Long.parseLong(value);
                }
                case "v1" -> {
                    if (!value.matches("[0-9a-fA-F]{64}")) {
                        return Optional.of(AgentSigner.HEADER + " v1= must be 64 hex digits");
                    }
                    if (signatures.size() == MAX_SIGNATURES) {
                        return Optional.of(AgentSigner.HEADER + " has more than " + MAX_SIGNATURES + " v1 values");
                    }
                    signatures.add(HexFormat.of().parseHex(value));
                }
                default -> {
                    // another scheme: ignored, see the class comment
                }
            }
        }
        if (t == null || signatures.isEmpty()) {
            return Optional.of(AgentSigner.HEADER + " needs t= and at least one v1=");
        }
        long skew = clock.instant().getEpochSecond() - t;
        if (skew > TOLERANCE.toSeconds()) {
            return Optional.of("signature timestamp is more than 5 minutes old (check the agent's clock)");
        }
        if (-skew > TOLERANCE.toSeconds()) {
            return Optional.of("signature timestamp is more than 5 minutes in the future (check the agent's clock)");
        }
        // Every key against every signature, without stopping early, so timing tells nothing about which
        // key or which position matched; MessageDigest.isEqual is constant-time for equal lengths.
        boolean ok = false;
        for (JobKey key : keys.accepted(jobId)) {
            byte[] expected = AgentSigner.mac(key, t, body);
            for (byte[] given : signatures) {
                ok |= MessageDigest.isEqual(expected, given);
            }
        }
        return ok ? Optional.empty() : Optional.of("signature does not match the body");
    }
}

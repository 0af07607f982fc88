package dev.shoal.controller.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers credentials that passed a slow hash check, so a client sending the same Basic header on every
 * request pays bcrypt once per TTL instead of once per request. Entries are keyed by an HMAC under a key that
 * lives only in this process: the cache never holds a password or anything a dump could test guesses against
 * offline faster than the real hash.
 */
public final class CredentialCache {
    private final Mac prototype;
    private final InstantSource clock;
    private final Duration ttl;
    private final int maxEntries;
    private final ConcurrentHashMap<String, Long> verifiedUntil = new ConcurrentHashMap<>();

    public CredentialCache(SecureRandom random, InstantSource clock, Duration ttl, int maxEntries) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        try {
            // Cloning an initialised Mac skips the provider lookup and key set-up on every request.
            this.prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(k, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.clock = clock;
        this.ttl = ttl;
        this.maxEntries = maxEntries;
    }

    public boolean isVerified(String user, char[] password) {
        Long until = verifiedUntil.get(fingerprint(user, password));
        return until != null && until > clock.millis();
    }

    public void remember(String user, char[] password) {
        long now = clock.millis();
        if (verifiedUntil.size() >= maxEntries) {
            verifiedUntil.values().removeIf(until -> until <= now);
            if (verifiedUntil.size() >= maxEntries) {
                verifiedUntil.clear();
            }
        }
        verifiedUntil.put(fingerprint(user, password), now + ttl.toMillis());
    }

    public void clear() {
        verifiedUntil.clear();
    }

    private String fingerprint(String user, char[] password) {
        try {
            Mac mac = (Mac) prototype.clone();
            mac.update(user.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            mac.update(StandardCharsets.UTF_8.encode(java.nio.CharBuffer.wrap(password)));
            return Base64.getEncoder().encodeToString(mac.doFinal());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}

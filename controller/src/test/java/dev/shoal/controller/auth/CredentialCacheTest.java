package dev.shoal.controller.auth;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class CredentialCacheTest {
    final AtomicLong now = new AtomicLong(1_000_000);
    final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

    @Test
    void remembersOnlyTheExactCredentialsUntilTheyExpire() {
        CredentialCache cache = new CredentialCache(new SecureRandom(), clock, Duration.ofMinutes(10), 10);
        cache.remember("admin", "pw".toCharArray());
        assertThat(cache.isVerified("admin", "pw".toCharArray())).isTrue();
        assertThat(cache.isVerified("admin", "pw2".toCharArray())).isFalse();
        assertThat(cache.isVerified("admin2", "pw".toCharArray())).isFalse();
        assertThat(cache.isVerified("admi", "npw".toCharArray())).as("user/password boundary is part of the key").isFalse();
        now.addAndGet(Duration.ofMinutes(10).toMillis());
        assertThat(cache.isVerified("admin", "pw".toCharArray())).isFalse();
    }

    @Test
    void staysBoundedInSize() {
        CredentialCache cache = new CredentialCache(new SecureRandom(), clock, Duration.ofMinutes(10), 3);
        for (int i = 0; i < 10; i++) {
            cache.remember("u" + i, "p".toCharArray());
        }
        int remembered = 0;
        for (int i = 0; i < 10; i++) {
            remembered += cache.isVerified("u" + i, "p".toCharArray()) ? 1 : 0;
        }
        assertThat(remembered).isBetween(1, 3);
        assertThat(cache.isVerified("u9", "p".toCharArray())).as("the newest entry is kept").isTrue();
    }

    @Test
    void throttleDoublesTheWaitAndForgetsOnSuccess() {
        LoginThrottle t = new LoginThrottle(clock, 2, Duration.ofSeconds(5), 100);
        t.failed("a");
        t.failed("a");
        assertThat(t.waitFor("a")).isZero();
        t.failed("a");
        assertThat(t.waitFor("a")).isEqualTo(Duration.ofSeconds(1));
        t.failed("a");
        assertThat(t.waitFor("a")).isEqualTo(Duration.ofSeconds(2));
        t.failed("a");
        t.failed("a");
        t.failed("a");
        assertThat(t.waitFor("a")).as("capped").isEqualTo(Duration.ofSeconds(5));
        assertThat(t.waitFor("b")).isZero();
        t.succeeded("a");
        assertThat(t.waitFor("a")).isZero();
    }
}

package dev.shoal.controller.agent;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The header format, the time window, rotation and several v1 values; HTTP-level behaviour is in AgentCallbacksTest. */
class SignatureVerifierTest {
    static final Instant NOW = Instant.ofEpochSecond(1_800_000_000L);
    static final byte[] BODY = "{\"seq\":1,\"type\":\"heartbeat\"}".getBytes(StandardCharsets.UTF_8);
    static final AgentKeys ROTATING = new AgentKeys(AgentKeysTest.CURRENT, Optional.of(AgentKeysTest.PREVIOUS));
    static final AgentKeys ROTATED = new AgentKeys(AgentKeysTest.CURRENT, Optional.empty());
    static final JobKey OLD = new AgentKeys(AgentKeysTest.PREVIOUS, Optional.empty()).forJob("job1");

    final SignatureVerifier verifier = new SignatureVerifier(ROTATING, InstantSource.fixed(NOW));

    Optional<String> check(String header) {
        return verifier.problem("job1", Optional.ofNullable(header), BODY);
    }

    @Test
    void acceptsCurrentAndDuringRotationPreviousKey() {
        assertThat(check(AgentSigner.header(ROTATING.forJob("job1"), NOW, BODY))).isEmpty();
        assertThat(check(AgentSigner.header(OLD, NOW, BODY))).isEmpty();
        assertThat(new SignatureVerifier(ROTATED, InstantSource.fixed(NOW))
                .problem("job1", Optional.of(AgentSigner.header(OLD, NOW, BODY)), BODY)).isPresent();
    }

    @Test
    void acceptsAnyOfSeveralV1ValuesAndIgnoresUnknownSchemes() {
        long t = NOW.getEpochSecond();
        String good = AgentSigner.v1(ROTATING.forJob("job1"), t, BODY);
        String wrong = "0".repeat(64);

        assertThat(check("t=" + t + ",v1=" + wrong + ",v1=" + good)).isEmpty();
        assertThat(check("t=" + t + ", v0=abc, v1=" + good.toUpperCase())).isEmpty();
        assertThat(check("t=" + t + ",v1=" + wrong)).contains("signature does not match the body");
    }

    @Test
    void windowIsFiveMinutesEitherWay() {
        JobKey key = ROTATING.forJob("job1");
        assertThat(check(AgentSigner.header(key, NOW.minusSeconds(300), BODY))).isEmpty();
        assertThat(check(AgentSigner.header(key, NOW.plusSeconds(300), BODY))).isEmpty();
        assertThat(check(AgentSigner.header(key, NOW.minusSeconds(301), BODY))).hasValueSatisfying(
                m -> assertThat(m).contains("old"));
        assertThat(check(AgentSigner.header(key, NOW.plusSeconds(301), BODY))).hasValueSatisfying(
                m -> assertThat(m).contains("future"));
    }

    @Test
    void keyOfAnotherJobDoesNotVerify() {
        assertThat(check(AgentSigner.header(ROTATING.forJob("job2"), NOW, BODY))).isPresent();
    }

    @Test
    void refusesMalformedHeaders() {
        long t = NOW.getEpochSecond();
        String good = AgentSigner.v1(ROTATING.forJob("job1"), t, BODY);
        assertThat(check(null)).isPresent();
        assertThat(check("")).isPresent();
        assertThat(check("v1=" + good)).isPresent();
        assertThat(check("t=" + t)).isPresent();
        assertThat(check("t=" + t + ",t=" + t + ",v1=" + good)).isPresent();
        assertThat(check("t=-1,v1=" + good)).isPresent();
        assertThat(check("t=" + t + ",v1=" + good.substring(2))).isPresent();
        assertThat(check("t=" + t + ",v1=" + good + ",garbage")).isPresent();
        assertThat(check("t=" + t + (",v1=" + good).repeat(5))).isPresent();
        assertThat(check("t=" + t + ",v1=" + good + ",x=" + "a".repeat(2000))).isPresent();
    }

    @Test
    void reasonsNeverContainTheExpectedSignatureOrKey() {
        JobKey key = ROTATING.forJob("job1");
        String expected = AgentSigner.v1(key, NOW.getEpochSecond(), BODY);
        Optional<String> why = check("t=" + NOW.getEpochSecond() + ",v1=" + "1".repeat(64));

        assertThat(why).hasValueSatisfying(m -> assertThat(m).doesNotContain(expected).doesNotContain(key.hex())
                .doesNotContain(AgentKeysTest.CURRENT.reveal()));
    }
}

package dev.shoal.controller.agent;

import dev.shoal.controller.secrets.Secret;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key derivation and the signature format, against vectors computed independently with openssl. */
class AgentKeysTest {
    static final Secret CURRENT = Secret.of("webhook-secret-current-0123456789abcdef");
    static final Secret PREVIOUS = Secret.of("webhook-secret-previous-0123456789abcdef");

    // echo -n "shoal-agent:01JOBTEST" | openssl dgst -sha256 -hmac "webhook-secret-current-0123456789abcdef"
    static final String KEY_HEX = "8fb0b5a0a6cdccec92ada9acf295af8d7e6c130fc3fddd7ca47a7b51fc4f2035";
    // printf '%s' '1700000000.{"seq":1}' | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY_HEX
    static final String SIG_HEX = "19713973d6103997c2b73ccb5f8db44b8ef08289eea92288075fac4b8bb067cf";

    @Test
    void jobKeyIsHmacOfTheWebhookSecretOverTheJobId() {
        JobKey key = new AgentKeys(CURRENT, Optional.empty()).forJob("01JOBTEST");

        assertThat(key.hex()).isEqualTo(KEY_HEX);
        assertThat(key.bytes()).hasSize(32);
        assertThat(JobKey.fromHex(KEY_HEX)).isEqualTo(key);
    }

    @Test
    void signatureHeaderMatchesTheDocumentedFormat() {
        byte[] body = "{\"seq\":1}".getBytes(StandardCharsets.UTF_8);

        String header = AgentSigner.header(JobKey.fromHex(KEY_HEX), Instant.ofEpochSecond(1_700_000_000L), body);

        assertThat(header).isEqualTo("t=1700000000,v1=" + SIG_HEX);
    }

    @Test
    void keysDifferPerJobAndPerSecret() {
        AgentKeys rotating = new AgentKeys(CURRENT, Optional.of(PREVIOUS));

        assertThat(rotating.forJob("a")).isNotEqualTo(rotating.forJob("b"));
        assertThat(rotating.accepted("a")).hasSize(2);
        assertThat(rotating.accepted("a").getFirst()).isEqualTo(rotating.forJob("a"));
        assertThat(rotating.accepted("a").get(1)).isEqualTo(new AgentKeys(PREVIOUS, Optional.empty()).forJob("a"));
        assertThat(new AgentKeys(CURRENT, Optional.empty()).accepted("a")).hasSize(1);
    }

    @Test
    void keysAndTokensPrintAsAMask() {
        JobKey key = new AgentKeys(CURRENT, Optional.empty()).forJob("a");
        AgentToken token = new AgentToken("a", Secret.of("tok-0123456789abcdef"));

        assertThat(key.toString()).isEqualTo(Secret.MASK);
        assertThat(token.toString()).doesNotContain("tok-0123456789abcdef").contains(Secret.MASK);
    }

    @Test
    void keyBytesCannotBeChangedFromOutside() {
        byte[] raw = JobKey.fromHex(KEY_HEX).bytes();
        JobKey key = new JobKey(raw);
        raw[0] ^= 1;
        key.bytes()[1] ^= 1;

        assertThat(key.hex()).isEqualTo(KEY_HEX);
        assertThatThrownBy(() -> new JobKey(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }
}

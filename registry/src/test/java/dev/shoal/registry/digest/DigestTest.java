package dev.shoal.registry.digest;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestTest {
    // sha256("abc") and sha512("abc") from FIPS 180-2
    static final String ABC256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static final String ABC512 = "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

    @Test
    void parsesAndPrintsBothAlgorithms() {
        Digest d = Digest.parse("sha256:" + ABC256);
        assertThat(d.algorithm()).isEqualTo(DigestAlgorithm.SHA256);
        assertThat(d.toString()).isEqualTo("sha256:" + ABC256);
        assertThat(Digest.parse("sha512:" + ABC512).algorithm()).isEqualTo(DigestAlgorithm.SHA512);
    }

    @Test
    void computesKnownVectors() {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(Digest.of(DigestAlgorithm.SHA256, abc).hex()).isEqualTo(ABC256);
        assertThat(Digest.of(DigestAlgorithm.SHA512, abc).hex()).isEqualTo(ABC512);
    }

    @Test
    void refusesMalformedDigestsWithAReason() {
        assertThatThrownBy(() -> Digest.parse("")).isInstanceOf(InvalidDigestException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> Digest.parse(ABC256)).hasMessageContaining("algorithm:hex");
        assertThatThrownBy(() -> Digest.parse("md5:" + ABC256)).hasMessageContaining("unsupported digest algorithm 'md5'");
        assertThatThrownBy(() -> Digest.parse("sha256:" + ABC256.substring(1))).hasMessageContaining("64 hex");
        assertThatThrownBy(() -> Digest.parse("sha256:" + ABC256.toUpperCase())).hasMessageContaining("lower-case");
        assertThatThrownBy(() -> Digest.parse("sha256:../../../../../../../../../../../../../../../../../../../../etc/pass"))
                .isInstanceOf(InvalidDigestException.class);
        assertThatThrownBy(() -> Digest.parse("sha512:" + ABC256)).hasMessageContaining("128 hex");
    }

    @Test
    void digesterKeepsRunningStateAcrossChunks() {
        Digester d = new Digester(DigestAlgorithm.SHA256);
        d.update(new byte[] {'a'}, 0, 1);
        Digest partial = d.current();
        d.update(ByteBuffer.wrap(new byte[] {'b', 'c'}));
        assertThat(partial).isEqualTo(Digest.of(DigestAlgorithm.SHA256, new byte[] {'a'}));
        assertThat(d.current().hex()).isEqualTo(ABC256);
        assertThat(d.count()).isEqualTo(3);
    }

    @Test
    void channelHashesWhatItWrites() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (DigestingChannel ch = new DigestingChannel(Channels.newChannel(sink), new Digester(DigestAlgorithm.SHA512))) {
            ch.writeFully(ByteBuffer.wrap("ab".getBytes(StandardCharsets.US_ASCII)));
            ch.writeFully(ByteBuffer.wrap("c".getBytes(StandardCharsets.US_ASCII)));
            assertThat(ch.digester().current().hex()).isEqualTo(ABC512);
        }
        assertThat(sink.toString(StandardCharsets.US_ASCII)).isEqualTo("abc");
    }

    @Test
    void inputStreamHashesWhatIsRead() throws Exception {
        Digester d = new Digester(DigestAlgorithm.SHA256);
        try (InputStream in = new DigestingInputStream(new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)), d)) {
            assertThat(in.read()).isEqualTo('a');
            in.skip(1);
            assertThat(in.readAllBytes()).containsExactly('c');
        }
        assertThat(d.current().hex()).isEqualTo(ABC256);
    }
}

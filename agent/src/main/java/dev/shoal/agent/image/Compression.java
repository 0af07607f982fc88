package dev.shoal.agent.image;

import io.airlift.compress.zstd.ZstdInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Compression of a served image, detected by its magic bytes rather than by name or Content-Type (which image
 * servers get wrong). All decoders are pure Java: the maintenance OS needs no native library.
 */
public enum Compression {
    NONE(new byte[0]),
    GZIP(new byte[] {0x1f, (byte) 0x8b}),
    XZ(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}),
    ZSTD(new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});

    static final int MAGIC_MAX = 6;
    private final byte[] magic;

    Compression(byte[] magic) {
        this.magic = magic;
    }

    public static Compression detect(byte[] head) {
        for (Compression c : values()) {
            if (c != NONE && head.length >= c.magic.length
                    && Arrays.equals(head, 0, c.magic.length, c.magic, 0, c.magic.length)) {
                return c;
            }
        }
        return NONE;
    }

    /** Peeks at {@code in} (which must support mark) and returns the detected compression. */
    public static Compression detect(BufferedInputStream in) throws IOException {
        in.mark(MAGIC_MAX);
        byte[] head = in.readNBytes(MAGIC_MAX);
        in.reset();
        return detect(head);
    }

    /** Wraps {@code in} with the decoder; {@code in} should be buffered. */
    public InputStream decode(InputStream in) throws IOException {
        return switch (this) {
            case NONE -> in;
            case GZIP -> new GZIPInputStream(in, 1 << 16);
            case XZ -> new XZInputStream(in);
            case ZSTD -> new ZstdInputStream(in);
        };
    }

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

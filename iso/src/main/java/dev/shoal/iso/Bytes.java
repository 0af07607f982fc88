package dev.shoal.iso;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Arrays;

/**
 * Low-level field encoders and decoders shared by the writer and the reader.
 *
 * <p>ISO 9660 stores most numbers "both-endian" (little-endian copy followed by a big-endian copy, ECMA-119 7.2.3
 * and 7.3.3) so that readers on either kind of machine can use them directly; we always write both and read the
 * little-endian half.
 */
final class Bytes {
    static final int BLOCK = 2048;

    private Bytes() {}

    static void both16(byte[] b, int off, int v) {
        le16(b, off, v);
        be16(b, off + 2, v);
    }

    static void both32(byte[] b, int off, long v) {
        le32(b, off, v);
        be32(b, off + 4, v);
    }

    static void le16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    static void be16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    static void le32(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) b[off + i] = (byte) (v >>> (8 * i));
    }

    static void be32(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) b[off + i] = (byte) (v >>> (8 * (3 - i)));
    }

    static int readLe16(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    static long readLe32(byte[] b, int off) {
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
    }

    /** Space-padded ASCII field (a- and d-character fields of the volume descriptors). */
    static void ascii(byte[] b, int off, int len, String s) {
        Arrays.fill(b, off, off + len, (byte) ' ');
        byte[] v = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(v, 0, b, off, Math.min(len, v.length));
    }

    /** UCS-2 big-endian field padded with UCS-2 spaces, as Joliet requires for its descriptor identifiers. */
    static void ucs2(byte[] b, int off, int len, String s) {
        for (int i = 0; i + 1 < len; i += 2) be16(b, off + i, ' ');
        byte[] v = s.getBytes(StandardCharsets.UTF_16BE);
        System.arraycopy(v, 0, b, off, Math.min(len & ~1, v.length));
    }

    /** 7-byte directory record date (ECMA-119 9.1.5), always recorded in UTC. */
    static byte[] recordDate(Instant t) {
        ZonedDateTime z = t.atZone(ZoneOffset.UTC);
        return new byte[] {(byte) (z.getYear() - 1900), (byte) z.getMonthValue(), (byte) z.getDayOfMonth(),
            (byte) z.getHour(), (byte) z.getMinute(), (byte) z.getSecond(), 0};
    }

    /** 17-byte volume descriptor date (ECMA-119 8.4.26.1): 16 ASCII digits and a GMT offset byte. */
    static byte[] volumeDate(Instant t) {
        byte[] d = new byte[17];
        String s = t == null ? "0000000000000000"
            : String.format("%1$tY%1$tm%1$td%1$tH%1$tM%1$tS00", t.atZone(ZoneOffset.UTC));
        System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, d, 0, 16);
        return d;
    }

    static long blocks(long bytes) {
        return (bytes + BLOCK - 1) / BLOCK;
    }
}

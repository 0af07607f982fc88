package dev.shoal.iso;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SUSP (IEEE P1281) and RRIP 1.10 (IEEE P1282, "RRIP_1991A") system use entries.
 *
 * <p>We write RRIP 1.10 (36-byte PX without inode number) because that is what mkisofs/genisoimage write by default
 * and what every reader (Linux isofs, libisofs, libarchive, isoinfo) accepts.
 */
final class RockRidge {
    static final int S_IFDIR = 0040000;
    static final int S_IFREG = 0100000;
    /** Bytes of name per NM entry: the entry length is one byte, and we keep entries well below 255. */
    static final int NM_CHUNK = 250;
    static final int CE_LENGTH = 28;

    static final String ER_ID = "RRIP_1991A";
    static final String ER_DESCRIPTOR =
        "THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS";
    static final String ER_SOURCE = "PLEASE CONTACT DISC PUBLISHER FOR SPECIFICATION SOURCE.  "
        + "SEE PUBLISHER IDENTIFIER IN PRIMARY VOLUME DESCRIPTOR FOR CONTACT INFORMATION.";

    private RockRidge() {}

    private static byte[] header(String sig, int len) {
        byte[] b = new byte[len];
        b[0] = (byte) sig.charAt(0);
        b[1] = (byte) sig.charAt(1);
        b[2] = (byte) len;
        b[3] = 1;
        return b;
    }

    /** SUSP "SP": first entry of the root's "." record; its presence is how readers detect SUSP at all. */
    static byte[] sp() {
        byte[] b = header("SP", 7);
        b[4] = (byte) 0xBE;
        b[5] = (byte) 0xEF;
        b[6] = 0; // no bytes skipped before the system use entries of other records
        return b;
    }

    /** POSIX attributes. uid/gid 0: the image is read on another machine, where our ids mean nothing. */
    static byte[] px(int mode, int nlink) {
        byte[] b = header("PX", 36);
        Bytes.both32(b, 4, mode & 0xFFFFFFFFL);
        Bytes.both32(b, 12, nlink);
        Bytes.both32(b, 20, 0);
        Bytes.both32(b, 28, 0);
        return b;
    }

    /** Time stamps: modify, access and attribute change, all the image's fixed time so output is reproducible. */
    static byte[] tf(Instant t) {
        byte[] b = header("TF", 5 + 3 * 7);
        b[4] = 0x0E;
        byte[] d = Bytes.recordDate(t);
        for (int i = 0; i < 3; i++) System.arraycopy(d, 0, b, 5 + 7 * i, 7);
        return b;
    }

    /** Alternate name, split over several NM entries (CONTINUE flag) when longer than one entry can hold. */
    static List<byte[]> nm(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>();
        for (int off = 0; off < utf8.length; off += NM_CHUNK) {
            int n = Math.min(NM_CHUNK, utf8.length - off);
            byte[] b = header("NM", 5 + n);
            b[4] = (byte) (off + n < utf8.length ? 1 : 0);
            System.arraycopy(utf8, off, b, 5, n);
            out.add(b);
        }
        return out;
    }

    /** Continuation entry: the rest of this record's entries are at (block, offset) for length bytes. */
    static byte[] ce(long block, long offset, long length) {
        byte[] b = header("CE", CE_LENGTH);
        Bytes.both32(b, 4, block);
        Bytes.both32(b, 12, offset);
        Bytes.both32(b, 20, length);
        return b;
    }

    /** "ER" names the extension in use; too long for the root record, so it always goes to a continuation area. */
    static byte[] er() {
        byte[] id = ER_ID.getBytes(StandardCharsets.US_ASCII);
        byte[] des = ER_DESCRIPTOR.getBytes(StandardCharsets.US_ASCII);
        byte[] src = ER_SOURCE.getBytes(StandardCharsets.US_ASCII);
        byte[] b = header("ER", 8 + id.length + des.length + src.length);
        b[4] = (byte) id.length;
        b[5] = (byte) des.length;
        b[6] = (byte) src.length;
        b[7] = 1;
        System.arraycopy(id, 0, b, 8, id.length);
        System.arraycopy(des, 0, b, 8 + id.length, des.length);
        System.arraycopy(src, 0, b, 8 + id.length + des.length, src.length);
        return b;
    }
}

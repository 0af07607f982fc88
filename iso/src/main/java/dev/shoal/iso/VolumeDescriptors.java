package dev.shoal.iso;

import java.nio.charset.StandardCharsets;

/** The primary (ECMA-119 8.4), Joliet supplementary (8.5) and terminator (8.3) volume descriptors. */
final class VolumeDescriptors {
    private VolumeDescriptors() {}

    static byte[] primary(Layout l) {
        return descriptor(l, l.iso, false);
    }

    static byte[] joliet(Layout l) {
        return descriptor(l, l.joliet, true);
    }

    static byte[] terminator() {
        byte[] b = new byte[Bytes.BLOCK];
        b[0] = (byte) 255;
        header(b);
        return b;
    }

    private static void header(byte[] b) {
        System.arraycopy("CD001".getBytes(StandardCharsets.US_ASCII), 0, b, 1, 5);
        b[6] = 1;
    }

    private static byte[] descriptor(Layout l, Namespace ns, boolean joliet) {
        byte[] b = new byte[Bytes.BLOCK];
        b[0] = (byte) (joliet ? 2 : 1);
        header(b);
        VolumeInfo info = l.info;
        text(b, 8, 32, "LINUX", joliet); // system identifier
        // The volume identifier is what blkid shows as LABEL. It is recorded as given, lower case included, like
        // genisoimage -V does: cloud-init looks for the label "config-2".
        text(b, 40, 32, info.volumeId(), joliet);
        Bytes.both32(b, 80, l.totalBlocks);
        if (joliet) {
            b[88] = '%';
            b[89] = '/';
            b[90] = 'E'; // UCS-2 level 3
        }
        Bytes.both16(b, 120, 1); // volume set size
        Bytes.both16(b, 124, 1); // volume sequence number
        Bytes.both16(b, 128, Bytes.BLOCK);
        int ptSize = joliet ? l.jolietPathTableSize : l.isoPathTableSize;
        Bytes.both32(b, 132, ptSize);
        Bytes.le32(b, 140, joliet ? l.jolietPathTableL : l.isoPathTableL);
        Bytes.be32(b, 148, joliet ? l.jolietPathTableM : l.isoPathTableM);
        byte[] root = DirectoryEncoder.rootRecord(l, ns);
        System.arraycopy(root, 0, b, 156, root.length);
        text(b, 190, 128, "", joliet); // volume set
        text(b, 318, 128, info.publisherId(), joliet);
        text(b, 446, 128, "", joliet); // data preparer
        text(b, 574, 128, info.applicationId(), joliet);
        text(b, 702, 37, "", joliet); // copyright file
        text(b, 739, 37, "", joliet); // abstract file
        text(b, 776, 37, "", joliet); // bibliographic file
        byte[] now = Bytes.volumeDate(info.time());
        System.arraycopy(now, 0, b, 813, 17); // creation
        System.arraycopy(now, 0, b, 830, 17); // modification
        System.arraycopy(Bytes.volumeDate(null), 0, b, 847, 17); // expiration: none
        System.arraycopy(now, 0, b, 864, 17); // effective
        b[881] = 1; // file structure version
        return b;
    }

    private static void text(byte[] b, int off, int len, String s, boolean joliet) {
        if (joliet) Bytes.ucs2(b, off, len, s);
        else Bytes.ascii(b, off, len, s);
    }
}

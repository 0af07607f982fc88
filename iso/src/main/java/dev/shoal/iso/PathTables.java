package dev.shoal.iso;

/**
 * Path tables (ECMA-119 9.4): every directory with its location and parent number, in directory-number order.
 * Written twice per namespace, little-endian (L) and big-endian (M); some readers (and isoinfo) use them.
 */
final class PathTables {
    private PathTables() {}

    static int size(Namespace ns) {
        int n = 0;
        for (Node.Dir d : ns.dirs) n += recordLength(ns.pathTableId(d));
        return n;
    }

    private static int recordLength(byte[] id) {
        return 8 + id.length + (id.length % 2);
    }

    static byte[] encode(Layout l, Namespace ns, boolean bigEndian) {
        byte[] out = new byte[size(ns)];
        int off = 0;
        for (Node.Dir d : ns.dirs) {
            byte[] id = ns.pathTableId(d);
            out[off] = (byte) id.length;
            long location = l.dirLocation(ns, d);
            int parent = ns.numbers.get(ns.parents.get(d));
            if (bigEndian) {
                Bytes.be32(out, off + 2, location);
                Bytes.be16(out, off + 6, parent);
            } else {
                Bytes.le32(out, off + 2, location);
                Bytes.le16(out, off + 6, parent);
            }
            System.arraycopy(id, 0, out, off + 8, id.length);
            off += recordLength(id);
        }
        return out;
    }
}

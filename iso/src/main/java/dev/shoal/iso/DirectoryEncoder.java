package dev.shoal.iso;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Encodes directory extents (ECMA-119 9.1) and, in the ISO 9660 namespace, their Rock Ridge entries. */
final class DirectoryEncoder {
    static final int FLAG_DIRECTORY = 0x02;
    private static final int MAX_RECORD = 255;

    private final Layout layout;

    DirectoryEncoder(Layout layout) {
        this.layout = layout;
    }

    /**
     * The directory's extent, a whole number of blocks. Continuation areas its records need are allocated in
     * {@code ce}, which the layout places right after this extent.
     */
    byte[] encode(Namespace ns, Node.Dir d, ContinuationAreas ce) {
        boolean rr = !ns.joliet;
        boolean root = d == ns.root();
        Node.Dir parent = ns.parents.get(d);
        Instant t = layout.info.time();
        List<byte[]> records = new ArrayList<>();

        List<byte[]> dotFixed = new ArrayList<>();
        if (root) dotFixed.add(RockRidge.sp()); // SP must be the first entry of the root's "." record
        dotFixed.add(RockRidge.px(RockRidge.S_IFDIR | d.mode(), nlink(d)));
        dotFixed.add(RockRidge.tf(t));
        records.add(record(new byte[] {0}, FLAG_DIRECTORY, layout.dirLocation(ns, d), layout.dirSize(ns, d), t,
            rr ? dotFixed : List.of(), rr && root ? List.of(RockRidge.er()) : List.of(), ce, d));
        records.add(record(new byte[] {1}, FLAG_DIRECTORY, layout.dirLocation(ns, parent), layout.dirSize(ns, parent), t,
            rr ? List.of(RockRidge.px(RockRidge.S_IFDIR | parent.mode(), nlink(parent)), RockRidge.tf(t)) : List.of(),
            List.of(), ce, d));

        for (Node n : ns.sorted.get(d)) {
            List<byte[]> fixed = List.of();
            List<byte[]> movable = List.of();
            if (rr) {
                int mode = n instanceof Node.Dir sub ? RockRidge.S_IFDIR | sub.mode() : RockRidge.S_IFREG | n.mode();
                fixed = List.of(RockRidge.px(mode, n instanceof Node.Dir sub ? nlink(sub) : 1), RockRidge.tf(t));
                movable = RockRidge.nm(n.name());
            }
            records.add(switch (n) {
                case Node.Dir sub -> record(ns.ids.get(n), FLAG_DIRECTORY, layout.dirLocation(ns, sub),
                    layout.dirSize(ns, sub), t, fixed, movable, ce, d);
                case Node.File f -> record(ns.ids.get(n), 0, layout.fileLocations.getOrDefault(f, 0L),
                    layout.sizes.get(f), t, fixed, movable, ce, d);
            });
        }
        return pack(records);
    }

    /** A directory's link count: itself, its "." and one ".." per subdirectory. */
    private static int nlink(Node.Dir d) {
        return 2 + (int) d.children().stream().filter(c -> c instanceof Node.Dir).count();
    }

    /**
     * One directory record. System use entries in {@code fixed} always stay in the record; {@code movable} ones go to
     * a continuation area (behind a CE entry) when the record would otherwise exceed 255 bytes.
     */
    private byte[] record(byte[] id, int flags, long extent, long length, Instant t,
                          List<byte[]> fixed, List<byte[]> movable, ContinuationAreas ce, Node.Dir owner) {
        int base = 33 + id.length + (id.length % 2 == 0 ? 1 : 0);
        List<byte[]> su = new ArrayList<>(fixed);
        if (base + total(fixed) + total(movable) <= MAX_RECORD - 1) {
            su.addAll(movable);
        } else {
            byte[] rest = concat(movable);
            ContinuationAreas.Position p = ce.allocate(rest);
            su.add(RockRidge.ce(layout.continuationLocation(owner) + p.block(), p.offset(), rest.length));
        }
        int suLen = total(su);
        int len = base + suLen + ((base + suLen) % 2); // records have even length (ECMA-119 9.1.12)
        if (len > MAX_RECORD) throw new IllegalStateException("directory record too long: " + len);
        byte[] r = new byte[len];
        r[0] = (byte) len;
        Bytes.both32(r, 2, extent);
        Bytes.both32(r, 10, length);
        System.arraycopy(Bytes.recordDate(t), 0, r, 18, 7);
        r[25] = (byte) flags;
        Bytes.both16(r, 28, 1); // volume sequence number
        r[32] = (byte) id.length;
        System.arraycopy(id, 0, r, 33, id.length);
        int off = base;
        for (byte[] e : su) {
            System.arraycopy(e, 0, r, off, e.length);
            off += e.length;
        }
        return r;
    }

    /** A record never crosses a block boundary (ECMA-119 6.8.1.1): the rest of the block stays zero. */
    private static byte[] pack(List<byte[]> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        for (byte[] r : records) {
            int room = Bytes.BLOCK - pos % Bytes.BLOCK;
            if (r.length > room) {
                out.write(new byte[room], 0, room);
                pos += room;
            }
            out.write(r, 0, r.length);
            pos += r.length;
        }
        int pad = (int) (Bytes.blocks(pos) * Bytes.BLOCK - pos);
        out.write(new byte[pad], 0, pad);
        return out.toByteArray();
    }

    static byte[] rootRecord(Layout l, Namespace ns) {
        return new DirectoryEncoder(l).record(new byte[] {0}, FLAG_DIRECTORY, l.dirLocation(ns, ns.root()),
            l.dirSize(ns, ns.root()), l.info.time(), List.of(), List.of(), null, null);
    }

    private static int total(List<byte[]> entries) {
        int n = 0;
        for (byte[] e : entries) n += e.length;
        return n;
    }

    private static byte[] concat(List<byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : entries) out.write(e, 0, e.length);
        return out.toByteArray();
    }
}

package dev.shoal.iso;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads ISO 9660 images: ours and those of xorriso/genisoimage.
 *
 * <p>Names come from Rock Ridge when the image has it (real names and modes), else from Joliet, else from the plain
 * ISO 9660 identifiers without their ";1" version. The whole directory tree is read by {@link #open}; file contents
 * are read on demand. Everything read from the image is bounds-checked: a damaged or hostile image gives an
 * {@link IsoFormatException}, never a huge allocation or an endless loop.
 */
public final class IsoReader implements Closeable {
    /** Which of the image's namespaces the names come from. */
    public enum Names { ROCK_RIDGE, JOLIET, ISO9660 }

    private static final int BLOCK = Bytes.BLOCK;
    private static final int MAX_DESCRIPTORS = 64;
    private static final int MAX_CONTINUATIONS = 32;
    private static final long MAX_DIRECTORY = 64L << 20;

    private record Extent(long block, long length) {}

    private record Item(IsoEntry entry, List<Extent> extents) {}

    private final Path file;
    private final FileChannel ch;
    private final long fileSize;
    private final Map<String, Item> items = new TreeMap<>();
    private String volumeId;
    private Names names;
    private long volumeBlocks;

    private IsoReader(Path file, FileChannel ch) throws IOException {
        this.file = file;
        this.ch = ch;
        this.fileSize = ch.size();
    }

    public static IsoReader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            IsoReader r = new IsoReader(file, ch);
            r.load();
            return r;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The primary volume descriptor's volume identifier (the label blkid shows), trailing spaces removed. */
    public String volumeId() {
        return volumeId;
    }

    public Names names() {
        return names;
    }

    /** All files and directories (not the root), sorted by path. */
    public List<IsoEntry> entries() {
        return items.values().stream().map(Item::entry).toList();
    }

    public Optional<IsoEntry> find(String path) {
        return Optional.ofNullable(items.get(normalize(path))).map(Item::entry);
    }

    /** The file's content; for large files prefer {@link #newInputStream}. */
    public byte[] readAllBytes(String path) throws IOException {
        Item it = file(path);
        if (it.entry().size() > Integer.MAX_VALUE - 16) throw new IOException("file too large for an array: " + path);
        try (InputStream in = newInputStream(path)) {
            return in.readAllBytes();
        }
    }

    /** Streams the file's content; valid until this reader is closed. */
    public InputStream newInputStream(String path) throws IOException {
        return new ExtentStream(file(path).extents());
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    private Item file(String path) throws IOException {
        Item it = items.get(normalize(path));
        if (it == null) throw new NoSuchFileException(path, null, "not in ISO image " + file);
        if (it.entry().directory()) throw new IOException("is a directory in ISO image " + file + ": " + path);
        return it;
    }

    private static String normalize(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) if (!p.isEmpty()) parts.add(p);
        return String.join("/", parts);
    }

    // ---------------------------------------------------------------- loading

    private void load() throws IOException {
        if (fileSize < 17L * BLOCK) {
            throw new IsoFormatException("not an ISO 9660 image: " + file + " has " + fileSize
                + " bytes, fewer than the 16 system blocks and a volume descriptor");
        }
        byte[] primary = null;
        byte[] joliet = null;
        for (int i = 0; ; i++) {
            if (i == MAX_DESCRIPTORS) throw new IsoFormatException("no volume descriptor set terminator in " + file);
            if ((16L + i + 1) * BLOCK > fileSize) throw new IsoFormatException("truncated ISO image (volume descriptors): " + file);
            byte[] vd = read(16L + i, BLOCK);
            if (!"CD001".equals(new String(vd, 1, 5, StandardCharsets.US_ASCII))) {
                throw new IsoFormatException(i == 0
                    ? "not an ISO 9660 image: no CD001 signature at block 16 of " + file
                    : "damaged ISO image: volume descriptor " + (16 + i) + " has no CD001 signature in " + file);
            }
            int type = vd[0] & 0xff;
            if (type == 255) break;
            if (type == 1 && primary == null) primary = vd;
            if (type == 2 && vd[88] == '%' && vd[89] == '/' && (vd[90] == '@' || vd[90] == 'C' || vd[90] == 'E')) joliet = vd;
        }
        if (primary == null) throw new IsoFormatException("no primary volume descriptor in " + file);
        if (Bytes.readLe16(primary, 128) != BLOCK) {
            throw new IsoFormatException("unsupported logical block size " + Bytes.readLe16(primary, 128) + " in " + file);
        }
        volumeBlocks = Bytes.readLe32(primary, 80);
        if (volumeBlocks * BLOCK > fileSize) {
            throw new IsoFormatException("truncated ISO image: the volume is " + volumeBlocks * BLOCK
                + " bytes but " + file + " has " + fileSize);
        }
        volumeId = new String(primary, 40, 32, StandardCharsets.US_ASCII).stripTrailing();

        long rootBlock = Bytes.readLe32(primary, 156 + 2);
        long rootLength = Bytes.readLe32(primary, 156 + 10);
        int suspSkip = rockRidgeSkip(rootBlock);
        if (suspSkip >= 0) {
            names = Names.ROCK_RIDGE;
        } else if (joliet != null) {
            names = Names.JOLIET;
            rootBlock = Bytes.readLe32(joliet, 156 + 2);
            rootLength = Bytes.readLe32(joliet, 156 + 10);
        } else {
            names = Names.ISO9660;
        }
        walk(rootBlock, rootLength, Math.max(suspSkip, 0));
    }

    /** Bytes to skip before system use entries (SP's LEN_SKP) when the root's "." record starts with SUSP "SP", else -1. */
    private int rockRidgeSkip(long rootBlock) throws IOException {
        byte[] b = read(rootBlock, BLOCK);
        int len = b[0] & 0xff;
        int idLen = b[32] & 0xff;
        if (len < 34 || idLen != 1 || b[33] != 0) throw new IsoFormatException("damaged root directory in " + file);
        int su = 33 + idLen + (idLen % 2 == 0 ? 1 : 0);
        if (su + 7 <= len && b[su] == 'S' && b[su + 1] == 'P' && (b[su + 4] & 0xff) == 0xBE && (b[su + 5] & 0xff) == 0xEF) {
            return b[su + 6] & 0xff;
        }
        return -1;
    }

    private record Pending(String path, long block, long length, int depth) {}

    private void walk(long rootBlock, long rootLength, int skip) throws IOException {
        Deque<Pending> todo = new ArrayDeque<>();
        Set<Long> seen = new HashSet<>();
        Set<String> relocationDirs = new HashSet<>();
        todo.push(new Pending("", rootBlock, rootLength, 0));
        while (!todo.isEmpty()) {
            Pending dir = todo.pop();
            if (!seen.add(dir.block())) throw new IsoFormatException("directory loop at block " + dir.block() + " in " + file);
            if (dir.length() > MAX_DIRECTORY || dir.block() + Bytes.blocks(dir.length()) > volumeBlocks) {
                throw new IsoFormatException("directory /" + dir.path() + " lies outside the image " + file);
            }
            byte[] b = read(dir.block(), (int) dir.length());
            List<Extent> multi = new ArrayList<>();
            int pos = 0;
            while (pos < b.length) {
                int len = b[pos] & 0xff;
                if (len == 0) { // the rest of this block is padding: records do not cross blocks
                    pos = (pos / BLOCK + 1) * BLOCK;
                    continue;
                }
                int idLen = pos + 32 < b.length ? b[pos + 32] & 0xff : 0;
                if (len < 34 || pos + len > b.length || 33 + idLen > len) {
                    throw new IsoFormatException("damaged directory record in /" + dir.path() + " (block "
                        + (dir.block() + pos / BLOCK) + ") of " + file);
                }
                Record r = record(b, pos, len, idLen, skip);
                pos += len;
                if (r == null) continue; // "." or ".."
                if (r.relocated) {
                    relocationDirs.add(dir.path());
                    continue; // shown where its CL entry points from
                }
                if (r.name.isEmpty() || r.name.equals(".") || r.name.equals("..") || r.name.indexOf('/') >= 0) {
                    throw new IsoFormatException("invalid name '" + r.name + "' in /" + dir.path() + " of " + file);
                }
                String path = dir.path().isEmpty() ? r.name : dir.path() + "/" + r.name;
                multi.add(new Extent(r.block, r.length));
                if (r.multiExtent) continue; // more extents of the same file follow
                List<Extent> extents = List.copyOf(multi);
                multi.clear();
                if (r.directory) {
                    long block = r.childLink >= 0 ? r.childLink : r.block;
                    long length = r.childLink >= 0 ? dotLength(block) : r.length;
                    if (dir.depth() > 1000) throw new IsoFormatException("directories nested too deep in " + file);
                    items.put(path, new Item(new IsoEntry(path, 0, true, r.mode), List.of()));
                    todo.push(new Pending(path, block, length, dir.depth() + 1));
                } else {
                    long size = 0;
                    for (Extent e : extents) {
                        if (e.length() > 0 && e.block() + Bytes.blocks(e.length()) > volumeBlocks) {
                            throw new IsoFormatException("file /" + path + " extends beyond the end of the image " + file);
                        }
                        size += e.length();
                    }
                    items.put(path, new Item(new IsoEntry(path, size, false, r.mode), extents));
                }
            }
        }
        // Deep directory relocation leaves an empty "rr_moved" behind; it is not part of the real tree.
        for (String d : relocationDirs) {
            if (!d.isEmpty() && items.keySet().stream().noneMatch(p -> p.startsWith(d + "/"))) items.remove(d);
        }
    }

    /** Data length of a directory, from its own "." record (used for Rock Ridge CL links). */
    private long dotLength(long block) throws IOException {
        if (block >= volumeBlocks) throw new IsoFormatException("child link outside the image " + file);
        return Bytes.readLe32(read(block, BLOCK), 10);
    }

    private static final class Record {
        String name;
        long block;
        long length;
        boolean directory;
        boolean multiExtent;
        boolean relocated;
        long childLink = -1;
        OptionalInt mode = OptionalInt.empty();
    }

    private Record record(byte[] b, int pos, int len, int idLen, int skip) throws IOException {
        if (idLen == 1 && (b[pos + 33] == 0 || b[pos + 33] == 1)) return null;
        Record r = new Record();
        r.block = Bytes.readLe32(b, pos + 2);
        r.length = Bytes.readLe32(b, pos + 10);
        int flags = b[pos + 25] & 0xff;
        r.directory = (flags & 0x02) != 0;
        r.multiExtent = (flags & 0x80) != 0;
        String id = names == Names.JOLIET
            ? new String(b, pos + 33, idLen & ~1, StandardCharsets.UTF_16BE)
            : new String(b, pos + 33, idLen, StandardCharsets.ISO_8859_1);
        r.name = stripVersion(id, r.directory);
        if (names == Names.ROCK_RIDGE) {
            int su = pos + 33 + idLen + (idLen % 2 == 0 ? 1 : 0) + skip;
            Susp s = new Susp();
            susp(b, su, pos + len, s, 0);
            if (s.nm != null) r.name = new String(s.nm.toByteArray(), StandardCharsets.UTF_8);
            r.mode = s.mode;
            r.relocated = s.relocated;
            if (s.childLink >= 0) {
                r.childLink = s.childLink;
                r.directory = true;
            }
            if (s.modeDirectory && !r.directory) throw new IsoFormatException("PX says directory but record does not: " + r.name);
        }
        return r;
    }

    /** ISO 9660 names end in ";1" (version) and files without extension in "."; neither is part of the name. */
    private static String stripVersion(String id, boolean directory) {
        if (directory) return id;
        int semi = id.lastIndexOf(';');
        String n = semi >= 0 ? id.substring(0, semi) : id;
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static final class Susp {
        java.io.ByteArrayOutputStream nm;
        boolean nmDone;
        OptionalInt mode = OptionalInt.empty();
        boolean modeDirectory;
        boolean relocated;
        long childLink = -1;
    }

    /** Parses system use entries in b[off, end), following CE continuation areas. */
    private void susp(byte[] b, int off, int end, Susp s, int hops) throws IOException {
        while (off + 4 <= end) {
            int len = b[off + 2] & 0xff;
            if (len < 4 || off + len > end) break; // padding or garbage: stop, as the kernel does
            String sig = new String(b, off, 2, StandardCharsets.ISO_8859_1);
            switch (sig) {
                case "NM" -> {
                    if (len >= 5 && !s.nmDone) {
                        int flags = b[off + 4] & 0xff;
                        if (s.nm == null) s.nm = new java.io.ByteArrayOutputStream();
                        s.nm.write(b, off + 5, len - 5);
                        if ((flags & 1) == 0) s.nmDone = true;
                    }
                }
                case "PX" -> {
                    if (len >= 12) {
                        int mode = (int) Bytes.readLe32(b, off + 4);
                        s.mode = OptionalInt.of(mode & 07777);
                        s.modeDirectory = (mode & 0170000) == RockRidge.S_IFDIR;
                    }
                }
                case "RE" -> s.relocated = true;
                case "CL" -> {
                    if (len >= 12) s.childLink = Bytes.readLe32(b, off + 4);
                }
                case "ST" -> {
                    return;
                }
                case "CE" -> {
                    if (len >= 28) {
                        if (hops >= MAX_CONTINUATIONS) throw new IsoFormatException("too many SUSP continuation areas in " + file);
                        long block = Bytes.readLe32(b, off + 4);
                        long offset = Bytes.readLe32(b, off + 12);
                        long length = Bytes.readLe32(b, off + 20);
                        if (offset + length > BLOCK || block >= volumeBlocks) {
                            throw new IsoFormatException("SUSP continuation area outside the image " + file);
                        }
                        byte[] c = read(block, BLOCK);
                        // The rest of this area is read first; the continuation area comes after it.
                        susp(b, off + len, end, s, hops);
                        susp(c, (int) offset, (int) (offset + length), s, hops + 1);
                        return;
                    }
                }
                default -> { }
            }
            off += len;
        }
    }

    private byte[] read(long block, int length) throws IOException {
        long pos = block * BLOCK;
        if (pos + length > fileSize) {
            throw new IsoFormatException("truncated ISO image: needs bytes up to " + (pos + length) + " but " + file
                + " has " + fileSize);
        }
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) throw new IsoFormatException("unexpected end of " + file);
        }
        return buf.array();
    }

    /** Reads a file's extents in order with positional reads, so several streams can share the channel. */
    private final class ExtentStream extends InputStream {
        private final Deque<Extent> extents;
        private long pos;
        private long left;

        ExtentStream(List<Extent> extents) {
            this.extents = new ArrayDeque<>(extents);
            next();
        }

        private boolean next() {
            while (left == 0) {
                Extent e = extents.poll();
                if (e == null) return false;
                pos = e.block() * BLOCK;
                left = e.length();
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] dst, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!next()) return -1;
            int n = ch.read(ByteBuffer.wrap(dst, off, (int) Math.min(len, left)), pos);
            if (n < 0) throw new IsoFormatException("unexpected end of " + file);
            pos += n;
            left -= n;
            return n;
        }
    }
}

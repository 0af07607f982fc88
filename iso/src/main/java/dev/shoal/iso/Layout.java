package dev.shoal.iso;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where everything goes in the image, computed before a single byte is written so the image can be streamed.
 *
 * <pre>
 * 0-15   system area (zeros)
 * 16     primary volume descriptor     17  Joliet supplementary volume descriptor   18  terminator
 * then   path tables: ISO L, ISO M, Joliet L, Joliet M
 * then   ISO 9660 directories, each followed by its SUSP continuation areas; then Joliet directories
 * then   file data, each file contiguous (one extent) and shared by both namespaces
 * </pre>
 *
 * Continuation areas sit right after the directory that points to them because libarchive (bsdtar) reads an image
 * front to back and only picks up a continuation area when it reaches its block after that directory: one placed
 * elsewhere is silently skipped (and long names come out mangled). libisofs places them the same way.
 *
 * <p>Directory sizes do not depend on any location, so they are measured with an encoding pass in which all
 * locations are still zero, and the real encoding happens while writing.
 */
final class Layout {
    static final long MAX_FILE_SIZE = 0xFFFFFFFFL;

    final VolumeInfo info;
    final Namespace iso;
    final Namespace joliet;
    final List<Node.File> files = new ArrayList<>();
    final Map<Node.File, Long> sizes = new IdentityHashMap<>();
    final Map<Node.File, Long> fileLocations = new IdentityHashMap<>();
    final Map<Node.Dir, Long> isoDirLocations = new IdentityHashMap<>();
    final Map<Node.Dir, Long> isoDirSizes = new IdentityHashMap<>();
    final Map<Node.Dir, Long> jolietDirLocations = new IdentityHashMap<>();
    final Map<Node.Dir, Long> jolietDirSizes = new IdentityHashMap<>();
    final int isoPathTableSize;
    final int jolietPathTableSize;
    long isoPathTableL;
    long isoPathTableM;
    long jolietPathTableL;
    long jolietPathTableM;
    /** Blocks of continuation areas following each ISO 9660 directory (Joliet has no system use entries). */
    final Map<Node.Dir, Integer> continuationBlocks = new IdentityHashMap<>();
    long totalBlocks;

    private Layout(Node.Dir root, VolumeInfo info) {
        this.info = info;
        this.iso = new Namespace(root, false, info.level());
        this.joliet = new Namespace(root, true, info.level());
        this.isoPathTableSize = PathTables.size(iso);
        this.jolietPathTableSize = PathTables.size(joliet);
    }

    static Layout of(Node.Dir root, VolumeInfo info) throws IOException {
        Layout l = new Layout(root, info);
        for (Node.Dir d : l.iso.dirs) {
            for (Node n : l.iso.sorted.get(d)) {
                if (n instanceof Node.File f) {
                    long size = switch (f.content()) {
                        case Node.InMemory m -> m.bytes().length;
                        case Node.FromFile p -> Files.size(p.path());
                    };
                    // One extent per file: its length field is 32 bits. Multi-extent files (level 3) are not written.
                    if (size > MAX_FILE_SIZE) throw new IOException("file too large for a single ISO 9660 extent: " + f.name());
                    l.files.add(f);
                    l.sizes.put(f, size);
                }
            }
        }
        // Sizing pass: locations are all zero here, which does not change any record's length.
        DirectoryEncoder enc = new DirectoryEncoder(l);
        for (Node.Dir d : l.iso.dirs) {
            ContinuationAreas ce = new ContinuationAreas();
            l.isoDirSizes.put(d, (long) enc.encode(l.iso, d, ce).length);
            l.continuationBlocks.put(d, ce.blocks().size());
        }
        for (Node.Dir d : l.joliet.dirs) l.jolietDirSizes.put(d, (long) enc.encode(l.joliet, d, new ContinuationAreas()).length);

        long next = 19;
        l.isoPathTableL = next;
        next += Bytes.blocks(l.isoPathTableSize);
        l.isoPathTableM = next;
        next += Bytes.blocks(l.isoPathTableSize);
        l.jolietPathTableL = next;
        next += Bytes.blocks(l.jolietPathTableSize);
        l.jolietPathTableM = next;
        next += Bytes.blocks(l.jolietPathTableSize);
        for (Node.Dir d : l.iso.dirs) {
            l.isoDirLocations.put(d, next);
            next += l.isoDirSizes.get(d) / Bytes.BLOCK + l.continuationBlocks.get(d);
        }
        for (Node.Dir d : l.joliet.dirs) {
            l.jolietDirLocations.put(d, next);
            next += l.jolietDirSizes.get(d) / Bytes.BLOCK;
        }
        for (Node.File f : l.files) {
            long size = l.sizes.get(f);
            // Empty files own no block; location 0 is what mkisofs records for them too.
            l.fileLocations.put(f, size == 0 ? 0 : next);
            next += Bytes.blocks(size);
        }
        if (next > 0xFFFFFFFFL) throw new IOException("image too large: " + next + " blocks");
        l.totalBlocks = next;
        return l;
    }

    long imageSize() {
        return totalBlocks * Bytes.BLOCK;
    }

    long dirLocation(Namespace ns, Node.Dir d) {
        return (ns.joliet ? jolietDirLocations : isoDirLocations).getOrDefault(d, 0L);
    }

    /** First block of the continuation areas that follow directory {@code d}'s extent. */
    long continuationLocation(Node.Dir d) {
        return isoDirLocations.getOrDefault(d, 0L) + isoDirSizes.getOrDefault(d, 0L) / Bytes.BLOCK;
    }

    long dirSize(Namespace ns, Node.Dir d) {
        return (ns.joliet ? jolietDirSizes : isoDirSizes).getOrDefault(d, 0L);
    }
}

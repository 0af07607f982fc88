package dev.shoal.iso;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;

/** Streams an image in block order, checking at each part that it is where the layout said it would be. */
final class ImageWriter {
    private final Layout l;
    private final OutputStream out;
    private long written;

    ImageWriter(Layout l, OutputStream out) {
        this.l = l;
        this.out = out;
    }

    void write() throws IOException {
        write(new byte[16 * Bytes.BLOCK]);
        write(VolumeDescriptors.primary(l));
        write(VolumeDescriptors.joliet(l));
        write(VolumeDescriptors.terminator());
        expect(l.isoPathTableL);
        writePadded(PathTables.encode(l, l.iso, false));
        writePadded(PathTables.encode(l, l.iso, true));
        writePadded(PathTables.encode(l, l.joliet, false));
        writePadded(PathTables.encode(l, l.joliet, true));
        DirectoryEncoder enc = new DirectoryEncoder(l);
        for (Node.Dir d : l.iso.dirs) {
            expect(l.isoDirLocations.get(d));
            ContinuationAreas ce = new ContinuationAreas();
            write(enc.encode(l.iso, d, ce));
            if (ce.blocks().size() != l.continuationBlocks.get(d)) throw new IllegalStateException("continuation areas changed");
            for (byte[] b : ce.blocks()) write(b);
        }
        for (Node.Dir d : l.joliet.dirs) {
            expect(l.jolietDirLocations.get(d));
            write(enc.encode(l.joliet, d, new ContinuationAreas()));
        }
        for (Node.File f : l.files) {
            long size = l.sizes.get(f);
            if (size == 0) continue;
            expect(l.fileLocations.get(f));
            switch (f.content()) {
                case Node.InMemory m -> write(m.bytes());
                case Node.FromFile p -> {
                    try (InputStream in = Files.newInputStream(p.path())) {
                        copy(in, size, p);
                    }
                }
            }
            pad();
        }
        expect(l.totalBlocks);
        out.flush();
    }

    /** Copies exactly the size the layout recorded; a file that changed meanwhile would corrupt the image. */
    private void copy(InputStream in, long size, Node.FromFile p) throws IOException {
        byte[] buf = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) throw new IOException("file shrank while the image was written: " + p.path());
            out.write(buf, 0, n);
            written += n;
            left -= n;
        }
        if (in.read() >= 0) throw new IOException("file grew while the image was written: " + p.path());
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        written += b.length;
    }

    private void writePadded(byte[] b) throws IOException {
        write(b);
        pad();
    }

    private void pad() throws IOException {
        int rest = (int) (written % Bytes.BLOCK);
        if (rest != 0) write(new byte[Bytes.BLOCK - rest]);
    }

    private void expect(long block) {
        if (written != block * Bytes.BLOCK) {
            throw new IllegalStateException("layout mismatch: at byte " + written + ", expected block " + block);
        }
    }
}

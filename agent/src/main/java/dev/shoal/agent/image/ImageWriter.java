package dev.shoal.agent.image;

import dev.shoal.agent.StepFailure;
import dev.shoal.agent.disk.TargetDisk;
import dev.shoal.agent.task.ImageFormat;
import dev.shoal.agent.task.Recipe;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;

/**
 * Streams a {@code kind: image} recipe onto the disk: the served bytes are hashed as they arrive (the job's
 * checksum is of the file as served), decompressed (gzip, xz, zstd by magic bytes) and written at offset 0 with a
 * bounded buffer, then fsynced and verified. Any failure after the first write, a checksum mismatch included,
 * zeroes the disk's first MiB so a partial or unverified image never boots.
 *
 * <p>qcow2 needs {@code qemu-img}: the (decompressed) file goes to {@code tempDir}, is verified there, then
 * converted onto the disk. In a maintenance OS {@code tempDir} is usually RAM.
 */
public final class ImageWriter {
    public static final String WRITE = "write-image";
    public static final String VERIFY = "verify-image";
    static final int BUFFER = 1 << 20;
    private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};

    private final ImageSource source;
    private final QemuImg qemuImg;
    private final Path tempDir;
    private final Duration progressInterval;

    public ImageWriter(ImageSource source, QemuImg qemuImg, Path tempDir, Duration progressInterval) {
        this.source = source;
        this.qemuImg = qemuImg;
        this.tempDir = tempDir;
        this.progressInterval = progressInterval;
    }

    public ImageResult write(Recipe.Image recipe, TargetDisk disk, ProgressListener progress) throws StepFailure {
        if (recipe.format() == ImageFormat.QCOW2) {
            qemuImg.require(); // before a long download that could not be used
        }
        try (ImageSource.Download d = source.open(recipe.url())) {
            MessageDigest digest = recipe.checksum().newDigest();
            CountingInputStream counted = new CountingInputStream(d.body(), d.length(), progress, progressInterval);
            BufferedInputStream served = new BufferedInputStream(new DigestInputStream(counted, digest), BUFFER);
            Compression compression = Compression.detect(served);
            if (compression == Compression.NONE && recipe.format() == ImageFormat.RAW && d.length().isPresent()) {
                disk.checkFits(d.length().getAsLong(), WRITE);
            }
            BufferedInputStream image = new BufferedInputStream(decode(compression, served), BUFFER);
            checkFormat(recipe.format(), image);
            long written = recipe.format() == ImageFormat.RAW
                    ? toDisk(image, disk)
                    : viaQemuImg(image, served, counted, digest, recipe, disk, compression);
            if (recipe.format() == ImageFormat.RAW) {
                try {
                    drain(served);
                } catch (IOException e) {
                    throw wiped(disk, new StepFailure(HttpImageSource.STEP, "download failed at its end: " + e.getMessage(), e));
                }
                counted.finish();
                verify(recipe, digest.digest(), disk, true);
            }
            return new ImageResult(counted.count(), written, compression, recipe.checksum().toString());
        } catch (IOException e) {
            throw new StepFailure(HttpImageSource.STEP, "cannot download " + recipe.url() + ": " + e.getMessage(), e);
        }
    }

    private static InputStream decode(Compression c, InputStream served) throws StepFailure {
        try {
            return c.decode(served);
        } catch (CountingInputStream.DownloadException e) {
            throw new StepFailure(HttpImageSource.STEP, "download failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StepFailure(WRITE, "cannot read the " + c.wire() + " image: " + e.getMessage(), e);
        }
    }

    /** Refuses an image whose content contradicts recipe.format before anything is written. */
    private static void checkFormat(ImageFormat format, BufferedInputStream image) throws StepFailure {
        byte[] head;
        try {
            image.mark(QCOW2_MAGIC.length);
            head = image.readNBytes(QCOW2_MAGIC.length);
            image.reset();
        } catch (CountingInputStream.DownloadException e) {
            throw new StepFailure(HttpImageSource.STEP, "download failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StepFailure(WRITE, "cannot read the image: " + e.getMessage(), e);
        }
        boolean qcow2 = Arrays.equals(head, QCOW2_MAGIC);
        if (format == ImageFormat.RAW && qcow2) {
            throw new StepFailure(WRITE, "the image is qcow2 but recipe.format is raw");
        }
        if (format == ImageFormat.QCOW2 && !qcow2) {
            throw new StepFailure(WRITE, "recipe.format is qcow2 but the image is not qcow2 (no QFI magic)");
        }
    }

    private long toDisk(InputStream image, TargetDisk disk) throws StepFailure {
        long pos = 0;
        boolean touched = false;
        try (FileChannel ch = disk.openForWrite()) {
            byte[] buf = new byte[BUFFER];
            while (true) {
                int n = readFully(image, buf);
                if (n == 0) {
                    break;
                }
                if (disk.size().isPresent() && pos + n > disk.size().getAsLong()) {
                    throw new StepFailure(WRITE, "image is larger than disk " + disk.path() + " ("
                            + disk.size().getAsLong() + " bytes)");
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                touched = true;
                while (bb.hasRemaining()) {
                    pos += ch.write(bb, pos);
                }
            }
            ch.force(true);
            return pos;
        } catch (StepFailure f) {
            throw touched ? wiped(disk, f) : f;
        } catch (CountingInputStream.DownloadException e) {
            throw wiped(disk, new StepFailure(HttpImageSource.STEP, "download failed after " + pos + " bytes written: "
                    + e.getMessage(), e));
        } catch (IOException e) {
            throw wiped(disk, new StepFailure(WRITE, "writing " + disk.path() + " failed at byte " + pos + ": "
                    + e.getMessage(), e));
        }
    }

    /** Reads until {@code buf} is full or EOF, so every disk write but the last is a whole buffer. */
    private static int readFully(InputStream in, byte[] buf) throws IOException {
        int n = 0;
        while (n < buf.length) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    private long viaQemuImg(InputStream image, BufferedInputStream served, CountingInputStream counted,
                            MessageDigest digest, Recipe.Image recipe, TargetDisk disk, Compression c)
            throws StepFailure, IOException {
        Path tmp = Files.createTempFile(tempDir, "shoal-image-", ".qcow2");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                image.transferTo(out);
            } catch (CountingInputStream.DownloadException e) {
                throw new StepFailure(HttpImageSource.STEP, "download failed: " + e.getMessage(), e);
            }
            drain(served);
            counted.finish();
            verify(recipe, digest.digest(), disk, false); // before qemu-img touches the disk
            qemuImg.convert(tmp, disk.path());
            try (FileChannel ch = disk.openForWrite()) {
                ch.force(true);
            }
            return Files.size(tmp);
        } catch (StepFailure f) {
            throw f.step().equals(QemuImg.STEP) ? wiped(disk, f) : f;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Reads what the decoder left (trailing padding) so the checksum covers the whole served file. */
    private static void drain(InputStream served) throws IOException {
        served.transferTo(OutputStream.nullOutputStream());
    }

    private static void verify(Recipe.Image recipe, byte[] got, TargetDisk disk, boolean written) throws StepFailure {
        if (recipe.checksum().matches(got)) {
            return;
        }
        StepFailure f = new StepFailure(VERIFY, "checksum mismatch: expected " + recipe.checksum() + " got "
                + recipe.checksum().format(got));
        throw written ? wiped(disk, f) : f;
    }

    private static StepFailure wiped(TargetDisk disk, StepFailure f) {
        try {
            disk.wipeHead();
            return new StepFailure(f.step(), f.getMessage() + "; the disk's first MiB was zeroed", f.getCause());
        } catch (IOException e) {
            return new StepFailure(f.step(), f.getMessage() + "; zeroing the disk's first MiB also failed: "
                    + e.getMessage(), f.getCause());
        }
    }
}

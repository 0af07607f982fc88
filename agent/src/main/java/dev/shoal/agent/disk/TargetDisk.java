package dev.shoal.agent.disk;

import dev.shoal.agent.StepFailure;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * The disk the image goes to: a block device, or a plain file standing in for one (bmc-sim, tests).
 * {@code size} is known for a block device (sysfs) and for a plain file that is not empty (its length is the
 * disk size, as for a file-backed VM disk); an empty plain file grows as it is written.
 */
public record TargetDisk(Path path, boolean blockDevice, OptionalLong size) {
    public static final String STEP = "select-disk";
    public static final int MIB = 1 << 20;

    /** Checks that {@code path} exists and is writable and learns its size. */
    public static TargetDisk open(Path path) throws StepFailure {
        if (!Files.exists(path)) {
            throw new StepFailure(STEP, "disk " + path + " does not exist");
        }
        if (Files.isDirectory(path)) {
            throw new StepFailure(STEP, "disk " + path + " is a directory");
        }
        if (!Files.isWritable(path)) {
            throw new StepFailure(STEP, "disk " + path + " is not writable");
        }
        try {
            if (Files.isRegularFile(path)) {
                long len = Files.size(path);
                return new TargetDisk(path, false, len > 0 ? OptionalLong.of(len) : OptionalLong.empty());
            }
            return new TargetDisk(path, true, blockDeviceSize(path));
        } catch (IOException e) {
            throw new StepFailure(STEP, "cannot inspect disk " + path + ": " + e.getMessage(), e);
        }
    }

    /** /sys/class/block/{name}/size counts 512-byte sectors whatever the logical sector size. */
    private static OptionalLong blockDeviceSize(Path path) throws IOException {
        Path real = path.toRealPath();
        Path sys = Path.of("/sys/class/block", real.getFileName().toString(), "size");
        if (Files.isReadable(sys)) {
            try {
                return OptionalLong.of(Long.parseLong(Files.readString(sys).strip()) * 512);
            } catch (NumberFormatException e) {
                // fall through to the channel
            }
        }
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long s = ch.size();
            return s > 0 ? OptionalLong.of(s) : OptionalLong.empty();
        }
    }

    /** Fails if an image of {@code imageBytes} cannot fit. */
    public void checkFits(long imageBytes, String step) throws StepFailure {
        if (size.isPresent() && imageBytes > size.getAsLong()) {
            throw new StepFailure(step, "image is " + imageBytes + " bytes but disk " + path + " is only "
                    + size.getAsLong() + " bytes");
        }
    }

    /** Opens the disk for writing from offset 0, never truncating (a block device cannot be, a disk file must keep its size). */
    public FileChannel openForWrite() throws IOException {
        return FileChannel.open(path, StandardOpenOption.WRITE);
    }

    /**
     * Zeroes the first MiB (or the whole disk if smaller and its size is known) and syncs, so a half-written or
     * unverified image never boots: the partition table and boot sector are gone.
     */
    public void wipeHead() throws IOException {
        long n = size.isPresent() ? Math.min(MIB, size.getAsLong()) : MIB;
        try (FileChannel ch = openForWrite()) {
            ByteBuffer zeros = ByteBuffer.allocate((int) n);
            long pos = 0;
            while (zeros.hasRemaining()) {
                pos += ch.write(zeros, pos);
            }
            ch.force(true);
        }
    }
}

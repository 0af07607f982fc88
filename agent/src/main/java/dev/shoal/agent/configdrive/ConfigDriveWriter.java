package dev.shoal.agent.configdrive;

import dev.shoal.agent.StepFailure;
import dev.shoal.agent.disk.TargetDisk;
import dev.shoal.agent.task.ConfigDrive;
import dev.shoal.iso.IsoWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * Adds the config drive to a disk that already holds the verified image, as Ironic does: a new partition at the
 * end of the disk holding an ISO 9660 filesystem labelled config-2. The partition is added with sfdisk (GPT backup
 * table moved to the disk's end first) and the ISO is written at the partition's byte offset on the disk itself,
 * so no partition device node (/dev/sdX3) has to appear first and a plain disk file works the same way.
 * Existing partitions are never changed: the table is read again after the append and compared.
 */
public final class ConfigDriveWriter {
    public static final String STEP = "config-drive";
    private static final int BUFFER = 1 << 20;
    private final Sfdisk sfdisk;

    public ConfigDriveWriter(Sfdisk sfdisk) {
        this.sfdisk = sfdisk;
    }

    public ConfigDrivePartition write(ConfigDrive drive, Path disk) throws StepFailure {
        IsoWriter iso = ConfigDriveIso.of(drive);
        long isoBytes;
        try {
            isoBytes = iso.size();
        } catch (IOException e) {
            throw new StepFailure(STEP, "cannot lay out the config drive: " + e.getMessage(), e);
        }
        PartitionTable before = sfdisk.read(disk).orElseThrow(() -> new StepFailure(STEP, "the written image has no"
                + " partition table (dos or gpt), so there is nowhere to add the config drive partition"));
        if (before.label() == PartitionTable.Label.GPT) {
            sfdisk.relocateBackupGpt(disk);
            before = sfdisk.read(disk).orElseThrow(() -> new StepFailure(STEP, "the GPT vanished after moving its backup"));
        }
        // Sized now, not when the job started: an empty disk file has grown to the image's size.
        long diskBytes = TargetDisk.open(disk).size().orElseThrow(() -> new StepFailure(STEP, "the size of " + disk + " is unknown"));
        Placement placement = Placement.atEnd(before, diskBytes, isoBytes);
        sfdisk.append(disk, placement, before.label(), ConfigDriveIso.LABEL);
        PartitionTable.Partition added = checkAppended(before, sfdisk.read(disk).orElse(null), placement);
        writeAt(iso, isoBytes, disk, placement);
        return new ConfigDrivePartition(added.number(), before.label(), placement, isoBytes);
    }

    /** The new table must be the old one plus exactly the planned partition. */
    private static PartitionTable.Partition checkAppended(PartitionTable before, PartitionTable after, Placement p) throws StepFailure {
        if (after == null || after.partitions().size() != before.partitions().size() + 1
                || !after.partitions().containsAll(before.partitions())) {
            throw new StepFailure(STEP, "the partition table after sfdisk --append is not the old one plus one partition: "
                    + (after == null ? "none" : after.partitions()));
        }
        List<PartitionTable.Partition> added = after.partitions().stream().filter(x -> !before.partitions().contains(x)).toList();
        PartitionTable.Partition n = added.getFirst();
        if (n.start() != p.start() || n.size() != p.size()) {
            throw new StepFailure(STEP, "sfdisk placed the config drive at " + n + ", not at sector " + p.start()
                    + " size " + p.size());
        }
        return n;
    }

    /**
     * Streams the ISO to the partition's offset, zeroes the rest of the partition (so no stale signature from an
     * earlier use of those sectors, e.g. an old md superblock near the end, makes blkid see two filesystems),
     * fsyncs, and reads the ISO back to compare its digest.
     */
    private static void writeAt(IsoWriter iso, long isoBytes, Path disk, Placement p) throws StepFailure {
        if (isoBytes > p.byteSize()) {
            throw new StepFailure(STEP, "config drive ISO (" + isoBytes + " bytes) outgrew its partition");
        }
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            MessageDigest written = sha256();
            ch.position(p.byteOffset());
            OutputStream out = new DigestOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER), written);
            iso.writeTo(out);
            out.flush(); // not closed: that would close the channel before the padding and the read-back
            long pos = p.byteOffset() + isoBytes;
            if (ch.position() != pos) {
                throw new StepFailure(STEP, "the ISO writer produced " + (ch.position() - p.byteOffset())
                        + " bytes, not the " + isoBytes + " it announced");
            }
            ByteBuffer zeros = ByteBuffer.allocate(BUFFER);
            long end = p.byteOffset() + p.byteSize();
            while (pos < end) {
                zeros.clear().limit((int) Math.min(BUFFER, end - pos));
                pos += ch.write(zeros, pos);
            }
            ch.force(true);
            if (!Arrays.equals(written.digest(), readBack(ch, p.byteOffset(), isoBytes))) {
                throw new StepFailure(STEP, "the config drive read back from " + disk + " differs from what was written");
            }
        } catch (IOException e) {
            throw new StepFailure(STEP, "cannot write the config drive to " + disk + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readBack(FileChannel ch, long offset, long length) throws IOException {
        MessageDigest d = sha256();
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            buf.clear().limit((int) Math.min(BUFFER, end - pos));
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("disk ended at byte " + pos + " while reading the config drive back");
            }
            pos += n;
            d.update(buf.flip());
        }
        return d.digest();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }
}

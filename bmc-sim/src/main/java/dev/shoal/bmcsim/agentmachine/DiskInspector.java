package dev.shoal.bmcsim.agentmachine;

import dev.shoal.agent.StepFailure;
import dev.shoal.agent.configdrive.ConfigDriveIso;
import dev.shoal.agent.configdrive.PartitionTable;
import dev.shoal.agent.configdrive.Sfdisk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * "Boots the installed OS": looks at the disk file as a firmware and cloud-init would. A disk whose first MiB is
 * zeros has nothing to boot; otherwise the partition table is read with sfdisk (the tool the agent uses to add
 * the config drive) and each partition is checked for the ISO 9660 volume {@code config-2}. The whole file is
 * hashed so a test can compare with its own checksum. Reads with a small buffer: hundreds of disks may boot at once.
 */
final class DiskInspector {
    private static final int BUFFER = 64 * 1024;
    private static final int MIB = 1 << 20;
    /** An ISO 9660 primary volume descriptor is at sector 16 of 2048 bytes; its label is bytes 40..71. */
    private static final int PVD = 16 * 2048;

    private final Sfdisk sfdisk;

    DiskInspector(Sfdisk sfdisk) {
        this.sfdisk = sfdisk;
    }

    DiskCheck inspect(Path disk) throws IOException {
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            long size = ch.size();
            boolean blank = blankHead(ch);
            String sha256 = sha256(ch);
            if (blank) {
                return new DiskCheck(size, true, sha256, "none", OptionalInt.empty(),
                        "the first MiB is zeros: no boot sector or partition table, the firmware finds nothing to boot");
            }
            String table;
            OptionalInt configDrive = OptionalInt.empty();
            try {
                Optional<PartitionTable> t = sfdisk.read(disk);
                table = t.map(p -> p.label().name().toLowerCase(java.util.Locale.ROOT)).orElse("none");
                if (t.isPresent()) {
                    configDrive = configDrive(ch, t.get());
                }
            } catch (StepFailure e) {
                table = "unknown: " + e.getMessage();
            }
            String drive = configDrive.isPresent() ? ", " + ConfigDriveIso.LABEL + " on partition " + configDrive.getAsInt()
                    : ", no " + ConfigDriveIso.LABEL + " partition";
            return new DiskCheck(size, false, sha256, table, configDrive,
                    "boots the installed image (partition table " + table + drive + "); sha256 of the disk " + sha256);
        }
    }

    private static boolean blankHead(FileChannel ch) throws IOException {
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(MIB, ch.size()));
        read(ch, head, 0);
        for (int i = 0; i < head.limit(); i++) {
            if (head.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static String sha256(FileChannel ch) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JDK", e);
        }
        ByteBuffer buf = ByteBuffer.allocate(BUFFER);
        long pos = 0;
        while (true) {
            buf.clear();
            int n = ch.read(buf, pos);
            if (n < 0) {
                break;
            }
            buf.flip();
            digest.update(buf);
            pos += n;
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static OptionalInt configDrive(FileChannel ch, PartitionTable table) throws IOException {
        for (PartitionTable.Partition p : table.partitions()) {
            long at = p.start() * table.sectorSize() + PVD;
            ByteBuffer pvd = ByteBuffer.allocate(72);
            if (at + pvd.capacity() > ch.size()) {
                continue;
            }
            read(ch, pvd, at);
            byte[] b = pvd.array();
            boolean iso = b[0] == 1 && new String(b, 1, 5, StandardCharsets.US_ASCII).equals("CD001");
            if (iso && new String(b, 40, 32, StandardCharsets.US_ASCII).strip().equals(ConfigDriveIso.LABEL)) {
                return OptionalInt.of(p.number());
            }
        }
        return OptionalInt.empty();
    }

    private static void read(FileChannel ch, ByteBuffer into, long at) throws IOException {
        while (into.hasRemaining()) {
            if (ch.read(into, at + into.position()) < 0) {
                break;
            }
        }
        into.flip();
    }
}

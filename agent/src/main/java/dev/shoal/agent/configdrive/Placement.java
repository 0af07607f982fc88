package dev.shoal.agent.configdrive;

import dev.shoal.agent.StepFailure;

/**
 * Where the config drive partition goes: the last 1 MiB-aligned span big enough for the ISO, ending at the last
 * usable sector (GPT: before the backup table, which must already be at the disk's end; dos: the disk's end, or
 * the 2 TiB an MBR can address). It must start after every existing partition: existing ones are never moved.
 */
public record Placement(long start, long size, int sectorSize) {
    static final long MIB = 1L << 20;
    /** An MBR entry holds 32-bit sector numbers. */
    static final long DOS_MAX_SECTORS = 1L << 32;

    public long byteOffset() {
        return start * sectorSize;
    }

    public long byteSize() {
        return size * sectorSize;
    }

    public long end() {
        return start + size; // exclusive
    }

    /** Places {@code isoBytes} at the end of a disk of {@code diskBytes} holding {@code table}. */
    public static Placement atEnd(PartitionTable table, long diskBytes, long isoBytes) throws StepFailure {
        int ss = table.sectorSize();
        if (ss <= 0 || MIB % ss != 0) {
            throw new StepFailure(ConfigDriveWriter.STEP, "unsupported sector size " + ss);
        }
        long align = MIB / ss;
        long size = Math.max(1, ceilDiv(isoBytes, MIB)) * align;
        long diskSectors = diskBytes / ss;
        long lastUsable = switch (table.label()) { // inclusive
            case GPT -> table.lastLba().orElseThrow(() -> new StepFailure(ConfigDriveWriter.STEP,
                    "sfdisk did not report the GPT's last usable sector"));
            case DOS -> Math.min(diskSectors, DOS_MAX_SECTORS) - 1;
        };
        if (table.label() == PartitionTable.Label.DOS && table.primaryCount() >= 4) {
            throw new StepFailure(ConfigDriveWriter.STEP, "the MBR's four primary partition slots are all in use");
        }
        long end = (lastUsable + 1) / align * align;
        long start = end - size;
        long floor = Math.max(table.usedEnd(), table.firstLba().orElse(align)); // dos: keep the first MiB for the MBR
        if (start < floor) {
            throw new StepFailure(ConfigDriveWriter.STEP, "no free space at the end of the disk for a "
                    + size * ss + "-byte config drive: the last partition ends at sector " + table.usedEnd()
                    + ", the last usable sector is " + lastUsable + " (disk " + diskBytes + " bytes, " + ss + "-byte sectors)");
        }
        return new Placement(start, size, ss);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}

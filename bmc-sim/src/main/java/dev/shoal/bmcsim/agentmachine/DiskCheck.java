package dev.shoal.bmcsim.agentmachine;

import java.util.OptionalInt;

/**
 * What a disk boot found on the server's disk file. {@code blankHead}: the first MiB is all zeros, so there is
 * no boot sector or partition table (a never-written disk, or one the agent wiped after a failed write).
 * {@code sha256} covers the whole disk file. {@code partitionTable} is {@code gpt}, {@code dos}, {@code none}, or
 * {@code unknown: why} when sfdisk could not tell. {@code configDrivePartition} is the number of the partition
 * holding an ISO 9660 volume labelled {@code config-2}, if any.
 */
public record DiskCheck(long sizeBytes, boolean blankHead, String sha256, String partitionTable,
                        OptionalInt configDrivePartition, String description) {
    /** Whether a firmware would find something to boot: a boot sector or partition table in the first MiB. */
    public boolean bootable() {
        return !blankHead;
    }
}

package dev.shoal.agent.configdrive;

/** The config drive as written: partition {@code number} of the table, where it is, and how much of it the ISO fills. */
public record ConfigDrivePartition(int number, PartitionTable.Label label, Placement placement, long isoBytes) {
    public String describe() {
        return "config drive (" + ConfigDriveIso.LABEL + ", " + isoBytes + " bytes) written to " + label.name().toLowerCase()
                + " partition " + number + " at byte " + placement.byteOffset() + " (" + placement.byteSize() + " bytes)";
    }
}

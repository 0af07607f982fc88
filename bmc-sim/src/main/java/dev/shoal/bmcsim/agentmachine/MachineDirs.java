package dev.shoal.bmcsim.agentmachine;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where one simulated server keeps its files: {@code workDir/{bmcName}/} with its disk, media, agent log and temp. */
record MachineDirs(Path root) {
    static MachineDirs of(Path workDir, String bmcName) {
        // The name becomes a directory: refuse anything that could leave workDir (BmcSpec names already cannot).
        if (!bmcName.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("a BMC name must be of [A-Za-z0-9._-] to name a directory: " + bmcName);
        }
        return new MachineDirs(workDir.resolve(bmcName));
    }

    Path disk() {
        return root.resolve("disk.img");
    }

    Path media() {
        return root.resolve("media");
    }

    /** The file a slot's medium is copied to; slot ids are short ASCII words, anything else is replaced. */
    Path medium(String slot) {
        return media().resolve(slot.replaceAll("[^A-Za-z0-9._-]", "_") + ".iso");
    }

    Path agentLog() {
        return root.resolve("agent.log");
    }

    Path tmp() {
        return root.resolve("tmp");
    }

    /**
     * Creates the disk on first use, sparse ({@code setLength} extends a file without writing blocks), so hundreds
     * of servers cost disk space only for what their agents write. An existing disk is kept as it is, size included:
     * it is this server's disk, and what the last install left on it is the point.
     */
    Path ensureDisk(long bytes) throws IOException {
        Files.createDirectories(root);
        Path disk = disk();
        if (!Files.exists(disk)) {
            try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
                f.setLength(bytes);
            }
        }
        return disk;
    }
}

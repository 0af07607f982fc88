package dev.shoal.agent.image;

import dev.shoal.agent.StepFailure;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Converts a qcow2 file onto the disk with {@code qemu-img convert}, if the maintenance OS has qemu-img. */
public final class QemuImg {
    public static final String STEP = "convert-image";
    private final Optional<Path> binary;

    public QemuImg(Optional<Path> binary) {
        this.binary = binary;
    }

    /** Looks qemu-img up on {@code searchPath} (a PATH value). */
    public static QemuImg onPath(String searchPath) {
        if (searchPath != null) {
            for (String dir : searchPath.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                Path p = Path.of(dir, "qemu-img");
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return new QemuImg(Optional.of(p));
                }
            }
        }
        return new QemuImg(Optional.empty());
    }

    public boolean available() {
        return binary.isPresent();
    }

    /** Fails before any download if qemu-img is missing. */
    public void require() throws StepFailure {
        if (binary.isEmpty()) {
            throw new StepFailure(STEP, "qcow2 needs qemu-img in the maintenance OS, and it has none");
        }
    }

    /** {@code qemu-img convert -n -f qcow2 -O raw src disk}: -n because the disk exists and must not be re-created. */
    public void convert(Path qcow2, Path disk) throws StepFailure {
        require();
        List<String> cmd = List.of(binary.get().toString(), "convert", "-n", "-f", "qcow2", "-O", "raw",
                qcow2.toString(), disk.toString());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            int rc = p.waitFor();
            if (rc != 0) {
                throw new StepFailure(STEP, "qemu-img convert failed (exit " + rc + "): " + out);
            }
        } catch (IOException e) {
            throw new StepFailure(STEP, "cannot run qemu-img: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure(STEP, "qemu-img convert interrupted", e);
        }
    }
}

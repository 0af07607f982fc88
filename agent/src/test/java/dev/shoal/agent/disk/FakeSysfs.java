package dev.shoal.agent.disk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A fake sysfs ({@code sys/block/*}), {@code /dev} and {@code /proc/mounts} in a temporary directory: a stand-in for
 * disks and controllers that cannot exist on a build machine. Only the files the agent reads are written.
 */
public final class FakeSysfs {
    public final Path sys;
    public final Path dev;
    public final Path mounts;

    public FakeSysfs(Path root) throws IOException {
        sys = Files.createDirectories(root.resolve("sys"));
        dev = Files.createDirectories(root.resolve("dev"));
        mounts = Files.writeString(root.resolve("mounts"), "proc /proc proc rw 0 0\n");
        Files.createDirectories(sys.resolve("block"));
    }

    public final class Disk {
        final Path dir;

        Disk(String name) throws IOException {
            dir = Files.createDirectories(sys.resolve("block").resolve(name));
        }

        public Disk gib(double gib) {
            return put("size", Long.toString((long) (gib * (1L << 30)) / 512));
        }

        public Disk rotational(boolean r) {
            return put("queue/rotational", r ? "1" : "0");
        }

        public Disk model(String m) {
            return put("device/model", m);
        }

        public Disk vendor(String v) {
            return put("device/vendor", v);
        }

        /** SCSI/SATA keep it under device/, NVMe namespaces in the block directory. */
        public Disk serial(String s) {
            return put("device/serial", s);
        }

        public Disk wwid(String w) {
            return put("device/wwid", w);
        }

        public Disk removable() {
            return put("removable", "1");
        }

        public Disk partition(String name) {
            return put(name + "/partition", "1");
        }

        public Disk put(String file, String content) {
            try {
                Path f = dir.resolve(file);
                Files.createDirectories(f.getParent());
                Files.writeString(f, content + "\n");
                return this;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public Disk disk(String name) throws IOException {
        return new Disk(name);
    }

    public void mount(String source, String at) throws IOException {
        Files.writeString(mounts, source + " " + at + " ext4 rw 0 0\n", java.nio.file.StandardOpenOption.APPEND);
    }

    public SysfsBlockDevices devices() {
        return new SysfsBlockDevices(sys, dev, mounts);
    }
}

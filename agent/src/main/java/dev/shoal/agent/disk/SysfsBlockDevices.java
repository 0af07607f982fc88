package dev.shoal.agent.disk;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Lists whole block devices from sysfs ({@code <sys>/block/*}) and names them under {@code <dev>}. Loop, RAM,
 * zram and CD-ROM ({@code sr*}) devices are never listed. A device holding a mounted filesystem (per
 * {@code mounts}, default {@code /proc/mounts}) — the media the maintenance OS booted from, or anything else in
 * use — is listed with {@link BlockDevice#holds()} set so the selector can say why it is not a candidate.
 * The roots are parameters so tests can use a fake sysfs tree.
 */
public final class SysfsBlockDevices {
    private final Path sys;
    private final Path dev;
    private final Path mounts;

    public SysfsBlockDevices(Path sys, Path dev, Path mounts) {
        this.sys = sys;
        this.dev = dev;
        this.mounts = mounts;
    }

    public static SysfsBlockDevices standard() {
        return new SysfsBlockDevices(Path.of("/sys"), Path.of("/dev"), Path.of("/proc/mounts"));
    }

    public Path dev() {
        return dev;
    }

    static boolean ignored(String name) {
        return name.startsWith("loop") || name.startsWith("ram") || name.startsWith("zram") || name.startsWith("sr")
                || name.startsWith("fd") || name.startsWith("nbd");
    }

    /** Whole-disk names under {@code <sys>/block}, sorted, without the never-listed kinds. */
    public List<String> names() throws IOException {
        Path block = sys.resolve("block");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(block)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(block)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!ignored(n)) {
                    out.add(n);
                }
            }
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    public List<BlockDevice> list() throws IOException {
        Map<String, String> inUse = inUse();
        List<BlockDevice> out = new ArrayList<>();
        for (String n : names()) {
            Path d = sys.resolve("block").resolve(n);
            Optional<String> sectors = read(d.resolve("size"));
            long size;
            try {
                size = sectors.map(Long::parseLong).orElse(0L) * 512;
            } catch (NumberFormatException e) {
                size = 0;
            }
            Optional<Boolean> rotational = read(d.resolve("queue/rotational")).map("1"::equals);
            Optional<String> serial = read(d.resolve("device/serial")).or(() -> read(d.resolve("serial")));
            Optional<String> wwn = read(d.resolve("wwid")).or(() -> read(d.resolve("device/wwid")));
            out.add(new BlockDevice(n, dev.resolve(n), size, rotational, read(d.resolve("device/model")),
                    read(d.resolve("device/vendor")), serial, wwn, read(d.resolve("removable")).filter("1"::equals).isPresent(),
                    read(d.resolve("ro")).filter("1"::equals).isPresent(), Optional.ofNullable(inUse.get(n))));
        }
        return out;
    }

    /** Whole-disk name → what it holds that is mounted, following partitions and device-mapper/RAID slaves. */
    private Map<String, String> inUse() throws IOException {
        Map<String, String> out = new HashMap<>();
        if (!Files.isReadable(mounts)) {
            return out;
        }
        Map<String, String> parentOf = partitions();
        for (String line : Files.readAllLines(mounts)) {
            String[] f = line.split("\\s+");
            if (f.length < 2 || !f[0].startsWith("/dev/")) {
                continue;
            }
            String source = f[0];
            String mountPoint = f[1].replace("\\040", " ");
            Path node = dev.resolve(source.substring("/dev/".length()));
            String kernel;
            try {
                kernel = node.toRealPath().getFileName().toString();
            } catch (IOException e) {
                kernel = node.getFileName().toString();
            }
            for (String disk : disksUnder(kernel, parentOf, new HashSet<>())) {
                out.putIfAbsent(disk, source + " mounted at " + mountPoint);
            }
        }
        return out;
    }

    /** Partition name → whole-disk name, from {@code <sys>/block/<disk>/<part>/partition}. */
    private Map<String, String> partitions() throws IOException {
        Map<String, String> out = new HashMap<>();
        Path block = sys.resolve("block");
        if (!Files.isDirectory(block)) {
            return out;
        }
        try (DirectoryStream<Path> disks = Files.newDirectoryStream(block)) {
            for (Path d : disks) {
                try (DirectoryStream<Path> parts = Files.newDirectoryStream(d, p -> Files.exists(p.resolve("partition")))) {
                    for (Path p : parts) {
                        out.put(p.getFileName().toString(), d.getFileName().toString());
                    }
                } catch (IOException e) {
                    // not a directory we can list: no partitions
                }
            }
        }
        return out;
    }

    private List<String> disksUnder(String kernel, Map<String, String> parentOf, Set<String> seen) {
        List<String> out = new ArrayList<>();
        if (!seen.add(kernel)) {
            return out;
        }
        String disk = parentOf.getOrDefault(kernel, kernel);
        out.add(disk);
        Path slaves = sys.resolve("block").resolve(disk).resolve("slaves");
        if (Files.isDirectory(slaves)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(slaves)) {
                for (Path s : ds) {
                    out.addAll(disksUnder(s.getFileName().toString(), parentOf, seen));
                }
            } catch (IOException e) {
                // best effort
            }
        }
        return out;
    }

    private static Optional<String> read(Path p) {
        try {
            if (!Files.isRegularFile(p)) {
                return Optional.empty();
            }
            String s = Files.readString(p).strip();
            return s.isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}

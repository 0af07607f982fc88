package dev.shoal.agent.disk;

import dev.shoal.agent.StepFailure;
import dev.shoal.agent.task.RootDeviceHints;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the target disk from Ironic-style root device hints, as an Ironic operator expects: every given hint must
 * match (name — a {@code /dev} path, by-id/by-path links resolved —, serial, wwn, model and vendor compared exactly
 * but trimmed and case-insensitively, size_min_gib/size_max_gib, rotational), then the smallest matching disk wins
 * ({@code prefer: largest} for the largest). Without a size hint disks under 4 GiB are ignored, as in Ironic.
 * Device-mapper and RAID devices are candidates only when no plain disk matches. Devices holding a mounted
 * filesystem (the boot media), read-only devices and devices the caller excludes (the one the task came from)
 * are never chosen; removable ones only when named by name, serial or wwn.
 * When nothing matches, the error lists every device and why it was rejected.
 */
public final class RootDeviceSelector {
    public static final long MIN_BYTES_WITHOUT_SIZE_HINT = 4L * BlockDevice.GIB;

    public record Selection(BlockDevice device, String explanation) {
    }

    private final SysfsBlockDevices devices;

    public RootDeviceSelector(SysfsBlockDevices devices) {
        this.devices = devices;
    }

    /** {@code exclude}: device paths never to choose (the task media); whole-disk kernel names or /dev paths. */
    public Selection select(RootDeviceHints hints, Set<Path> exclude) throws StepFailure {
        List<BlockDevice> all;
        try {
            all = devices.list();
        } catch (IOException e) {
            throw new StepFailure(TargetDisk.STEP, "cannot list block devices: " + e.getMessage(), e);
        }
        Set<String> excluded = new HashSet<>();
        for (Path p : exclude) {
            excluded.add(kernelName(p));
        }
        String wanted = hints.isEmpty() ? "no root device hints" : "root device hints " + describe(hints);
        if (all.isEmpty()) {
            throw new StepFailure(TargetDisk.STEP, "no block devices found to choose from (" + wanted + ")");
        }
        List<String> rejections = new ArrayList<>();
        List<BlockDevice> plain = new ArrayList<>();
        List<BlockDevice> virtual = new ArrayList<>();
        for (BlockDevice d : all) {
            Optional<String> why = rejection(d, hints, excluded);
            if (why.isPresent()) {
                rejections.add(d.describe() + ": " + why.get());
            } else if (d.virtual()) {
                virtual.add(d);
            } else {
                plain.add(d);
            }
        }
        List<BlockDevice> matching = plain.isEmpty() ? virtual : plain;
        if (matching.isEmpty()) {
            throw new StepFailure(TargetDisk.STEP, "no disk matches " + wanted + "; candidates: " + String.join("; ", rejections));
        }
        boolean largest = hints.prefer().map("largest"::equals).orElse(false);
        Comparator<BlockDevice> bySize = Comparator.comparingLong(BlockDevice::sizeBytes);
        BlockDevice chosen = matching.stream()
                .sorted((largest ? bySize.reversed() : bySize).thenComparing(BlockDevice::name))
                .findFirst().orElseThrow();
        StringBuilder why = new StringBuilder("selected ").append(chosen.describe()).append(" by ").append(wanted)
                .append(" (").append(largest ? "largest" : "smallest").append(" of ").append(matching.size()).append(" matching)");
        if (!rejections.isEmpty()) {
            why.append("; not chosen: ").append(String.join("; ", rejections));
        }
        return new Selection(chosen, why.toString());
    }

    private Optional<String> rejection(BlockDevice d, RootDeviceHints h, Set<String> excluded) {
        if (excluded.contains(d.name())) {
            return Optional.of("holds the task media");
        }
        if (d.holds().isPresent()) {
            return Optional.of("in use: " + d.holds().get() + " (the boot media?)");
        }
        if (d.readOnly()) {
            return Optional.of("read-only");
        }
        if (d.sizeBytes() <= 0) {
            return Optional.of("no medium (size 0)");
        }
        if (h.name().isPresent() && !kernelName(Path.of(h.name().get())).equals(d.name())) {
            return Optional.of("name is not " + h.name().get());
        }
        if (h.serial().isPresent() && !same(h.serial().get(), d.serial())) {
            return Optional.of("serial " + d.serial().orElse("unknown") + " is not " + h.serial().get());
        }
        if (h.wwn().isPresent() && !sameWwn(h.wwn().get(), d.wwn())) {
            return Optional.of("wwn " + d.wwn().orElse("unknown") + " is not " + h.wwn().get());
        }
        if (h.model().isPresent() && !same(h.model().get(), d.model())) {
            return Optional.of("model " + d.model().orElse("unknown") + " is not " + h.model().get());
        }
        if (h.vendor().isPresent() && !same(h.vendor().get(), d.vendor())) {
            return Optional.of("vendor " + d.vendor().orElse("unknown") + " is not " + h.vendor().get());
        }
        double gib = d.sizeBytes() / (double) BlockDevice.GIB;
        if (h.sizeMinGib().isPresent() && gib < h.sizeMinGib().get()) {
            return Optional.of(String.format(Locale.ROOT, "%.1f GiB is under size_min_gib %s", gib, num(h.sizeMinGib().get())));
        }
        if (h.sizeMaxGib().isPresent() && gib > h.sizeMaxGib().get()) {
            return Optional.of(String.format(Locale.ROOT, "%.1f GiB is over size_max_gib %s", gib, num(h.sizeMaxGib().get())));
        }
        if (h.sizeMinGib().isEmpty() && h.sizeMaxGib().isEmpty() && d.sizeBytes() < MIN_BYTES_WITHOUT_SIZE_HINT) {
            return Optional.of("smaller than 4 GiB (give a size hint to allow it)");
        }
        if (h.rotational().isPresent() && !h.rotational().equals(d.rotational())) {
            return Optional.of(d.rotational().map(r -> r ? "rotational" : "non-rotational").orElse("rotational unknown")
                    + ", hint asks for rotational " + h.rotational().get());
        }
        boolean pinned = h.name().isPresent() || h.serial().isPresent() || h.wwn().isPresent();
        if (d.removable() && !pinned) {
            return Optional.of("removable (name it by name, serial or wwn to allow it)");
        }
        return Optional.empty();
    }

    /** The kernel name a /dev path stands for: by-id/by-path (and other) links resolved under the dev root. */
    private String kernelName(Path p) {
        String s = p.toString();
        if (s.startsWith("/dev/")) {
            Path node = devices.dev().resolve(s.substring("/dev/".length()));
            if (Files.exists(node)) {
                try {
                    return node.toRealPath().getFileName().toString();
                } catch (IOException e) {
                    // fall through to the literal name
                }
            }
        }
        Path f = p.getFileName();
        return f == null ? s : f.toString();
    }

    private static boolean same(String hint, Optional<String> actual) {
        return actual.isPresent() && actual.get().strip().equalsIgnoreCase(hint.strip());
    }

    /** udev reports {@code 0x5000c500...}, sysfs {@code naa.5000c500...}: compare without those prefixes. */
    private static boolean sameWwn(String hint, Optional<String> actual) {
        return actual.isPresent() && (same(hint, actual) || wwnCore(hint).equals(wwnCore(actual.get())));
    }

    private static String wwnCore(String w) {
        String s = w.strip().toLowerCase(Locale.ROOT);
        for (String prefix : List.of("naa.", "eui.", "t10.", "0x")) {
            if (s.startsWith(prefix)) {
                s = s.substring(prefix.length());
            }
        }
        return s;
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    static String describe(RootDeviceHints h) {
        List<String> parts = new ArrayList<>();
        h.name().ifPresent(v -> parts.add("name=" + v));
        h.serial().ifPresent(v -> parts.add("serial=" + v));
        h.wwn().ifPresent(v -> parts.add("wwn=" + v));
        h.model().ifPresent(v -> parts.add("model=" + v));
        h.vendor().ifPresent(v -> parts.add("vendor=" + v));
        h.sizeMinGib().ifPresent(v -> parts.add("size_min_gib=" + num(v)));
        h.sizeMaxGib().ifPresent(v -> parts.add("size_max_gib=" + num(v)));
        h.rotational().ifPresent(v -> parts.add("rotational=" + v));
        h.prefer().ifPresent(v -> parts.add("prefer=" + v));
        return "{" + String.join(", ", parts) + "}";
    }
}

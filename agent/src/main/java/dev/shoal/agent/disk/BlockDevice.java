package dev.shoal.agent.disk;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One whole block device as sysfs describes it. {@code sizeBytes} is sysfs {@code size} × 512;
 * {@code rotational} is empty when {@code queue/rotational} is missing; {@code holds} says why the device is in use
 * by the running system (a mounted filesystem, e.g. the media the agent booted from), empty if it is not.
 */
public record BlockDevice(String name, Path devPath, long sizeBytes, Optional<Boolean> rotational, Optional<String> model,
                          Optional<String> vendor, Optional<String> serial, Optional<String> wwn, boolean removable,
                          boolean readOnly, Optional<String> holds) {
    public static final long GIB = 1L << 30;

    /** Device mapper, software RAID: considered only when no plain disk qualifies. */
    public boolean virtual() {
        return name.startsWith("dm-") || name.startsWith("md");
    }

    public String describe() {
        StringBuilder b = new StringBuilder(devPath.toString()).append(" (")
                .append(String.format(java.util.Locale.ROOT, "%.1f GiB", sizeBytes / (double) GIB));
        rotational.ifPresent(r -> b.append(r ? ", rotational" : ", non-rotational"));
        vendor.ifPresent(v -> b.append(", vendor ").append(v));
        model.ifPresent(m -> b.append(", model ").append(m));
        serial.ifPresent(s -> b.append(", serial ").append(s));
        wwn.ifPresent(w -> b.append(", wwn ").append(w));
        if (removable) {
            b.append(", removable");
        }
        return b.append(')').toString();
    }
}

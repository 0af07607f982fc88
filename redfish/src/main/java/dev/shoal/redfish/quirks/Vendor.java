package dev.shoal.redfish.quirks;

import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** The BMC families with known quirks; the job API's {@code server.vendor} names one of them, or {@code auto}. */
public enum Vendor {
    GENERIC, DELL, HPE, SUPERMICRO, LENOVO, AMI, OPENBMC, CISCO;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code auto} (or nothing) means: detect it. */
    public static Optional<Vendor> fromWire(String s) {
        if (s == null || s.equals("auto")) {
            return Optional.empty();
        }
        return Stream.of(values()).filter(v -> v.wire().equals(s)).findFirst()
                .or(() -> {
                    throw new IllegalArgumentException("unknown vendor \"" + s + "\"; one of auto, "
                            + String.join(", ", Stream.of(values()).map(Vendor::wire).toList()));
                });
    }
}

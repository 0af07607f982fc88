package dev.shoal.controller.jobs;

import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** DESIGN.md's lifecycle: queued → provisioning → succeeded → complete; failed and cancelled end it early. */
public enum JobState {
    QUEUED, PROVISIONING, SUCCEEDED, COMPLETE, FAILED, CANCELLED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean terminal() {
        return this == COMPLETE || this == FAILED || this == CANCELLED;
    }

    public static Optional<JobState> fromWire(String s) {
        return Stream.of(values()).filter(v -> v.wire().equals(s)).findFirst();
    }
}

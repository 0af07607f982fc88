package dev.shoal.controller.engine;

import dev.shoal.controller.http.Json;
import dev.shoal.redfish.boot.BootEvents;

import java.util.Map;
import java.util.Optional;

/** Where a running step writes its job's events; BMC actions arrive through {@link #bmc()}. */
public final class StepEvents {
    private final JobTable table;
    private final String jobId;

    StepEvents(JobTable table, String jobId) {
        this.table = table;
        this.jobId = jobId;
    }

    public void note(String step, String message) {
        table.event(jobId, step, message, Optional.empty());
    }

    /** Each Redfish action (power, eject, insert, boot override) becomes an event with its details. */
    public BootEvents bmc() {
        return (step, message, details) -> table.event(jobId, step, message,
                details.isEmpty() ? Optional.empty() : Optional.of(Json.MAPPER.valueToTree(Map.copyOf(details))));
    }
}

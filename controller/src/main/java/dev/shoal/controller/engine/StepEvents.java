package dev.shoal.controller.engine;

import dev.shoal.controller.http.Json;
import dev.shoal.controller.http.SignedPaths;
import dev.shoal.redfish.boot.BootEvents;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a running step writes its job's events; BMC actions arrive through {@link #bmc()}. A signed task ISO URL
 * is a credential until the job's deadline (whoever holds it can read the agent's token), so its signature is masked
 * in everything written here, as the access log masks it.
 */
public final class StepEvents {
    private final JobTable table;
    private final String jobId;

    StepEvents(JobTable table, String jobId) {
        this.table = table;
        this.jobId = jobId;
    }

    public void note(String step, String message) {
        table.event(jobId, step, masked(message), Optional.empty());
    }

    /** Each Redfish action (power, eject, insert, boot override) becomes an event with its details. */
    public BootEvents bmc() {
        return (step, message, details) -> {
            Map<String, Object> shown = new LinkedHashMap<>();
            details.forEach((k, v) -> shown.put(k, v instanceof String text ? masked(text) : v));
            table.event(jobId, step, masked(message),
                    shown.isEmpty() ? Optional.empty() : Optional.of(Json.MAPPER.valueToTree(shown)));
        };
    }

    static String masked(String text) {
        return SignedPaths.mask(text);
    }
}

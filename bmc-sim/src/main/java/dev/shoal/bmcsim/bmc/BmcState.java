package dev.shoal.bmcsim.bmc;

import dev.shoal.bmcsim.faults.FaultPlan;
import dev.shoal.bmcsim.personality.Personality;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A read-only snapshot of one simulated BMC, for assertions: what is true now, not what a (possibly
 * stale or transitional) Redfish answer would say.
 *
 * @param power           the PowerState Redfish shows now (transitional while a change runs)
 * @param pendingSettings properties waiting in a @Redfish.Settings resource for the next reset
 * @param sessions        open Redfish sessions
 * @param bootCount       boots handed to the Machine so far
 * @param requests        the latest requests, oldest first (bounded)
 */
public record BmcState(String name, Personality personality, URI baseUri, boolean up, PowerState power,
                       BootOverride boot, List<SlotState> media, Map<String, String> pendingSettings, int sessions,
                       FaultPlan faults, int bootCount, List<RequestRecord> requests) {
    public BmcState {
        media = List.copyOf(media);
        pendingSettings = Map.copyOf(pendingSettings);
        requests = List.copyOf(requests);
    }

    public SlotState slot(String id) {
        return media.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException(name + " has no virtual-media slot " + id));
    }

    /** Requests with this method whose path ends with {@code pathSuffix}. */
    public List<RequestRecord> requests(String method, String pathSuffix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().endsWith(pathSuffix)).toList();
    }
}

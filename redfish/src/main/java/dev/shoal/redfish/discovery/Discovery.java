package dev.shoal.redfish.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.redfish.quirks.QuirkProfile;
import dev.shoal.redfish.quirks.QuirkProfiles;
import dev.shoal.redfish.quirks.Vendor;
import dev.shoal.redfish.transport.RedfishException;
import dev.shoal.redfish.transport.RedfishResponse;
import dev.shoal.redfish.transport.RedfishTransport;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Walks a BMC's service root to the one ComputerSystem a job targets, its managers and virtual media slots,
 * and settles the quirk profile. Slots under the System come first (newer firmware, iDRAC10 only has
 * those); the Managers' slots follow.
 */
public final class Discovery {
    private Discovery() {
    }

    public static BmcInventory discover(RedfishTransport t, Optional<String> systemId, Optional<Vendor> vendor) {
        // The operator's choice, or what the service root alone tells, governs retries from the first request on
        // (an iDRAC may answer SYS518 to the very next GET).
        vendor.ifPresent(v -> t.useQuirks(QuirkProfiles.of(v).transport()));
        JsonNode root = t.serviceRoot();
        if (vendor.isEmpty()) {
            var none = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
            t.useQuirks(QuirkProfiles.of(QuirkProfiles.detect(root, none, none)).transport());
        }
        String systemPath = chooseSystem(t, root, systemId);
        JsonNode system = t.get(systemPath).body();

        List<String> managers = new ArrayList<>();
        system.path("Links").path("ManagedBy").forEach(m -> managers.add(m.path("@odata.id").asText()));
        if (managers.isEmpty() && root.path("Managers").has("@odata.id")) {
            members(t, root.path("Managers").path("@odata.id").asText()).forEach(managers::add);
        }
        Optional<JsonNode> manager = managers.isEmpty() ? Optional.empty() : Optional.of(t.get(managers.getFirst()).body());

        List<VirtualMediaSlot> slots = new ArrayList<>();
        if (system.path("VirtualMedia").has("@odata.id")) {
            slots.addAll(slots(t, system.path("VirtualMedia").path("@odata.id").asText(), true));
        }
        // Slots under the System are the ones that boot it; a Manager's list is the fallback (older firmware).
        for (String m : slots.isEmpty() ? managers : List.<String>of()) {
            JsonNode mgr = m.equals(managers.getFirst()) && manager.isPresent() ? manager.get() : t.get(m).body();
            if (mgr.path("VirtualMedia").has("@odata.id")) {
                for (VirtualMediaSlot s : slots(t, mgr.path("VirtualMedia").path("@odata.id").asText(), false)) {
                    // Many BMCs show the same slots under the System and the Manager: one slot, two paths.
                    if (slots.stream().noneMatch(x -> x.path().equals(s.path()) || x.id().equals(s.id()))) {
                        slots.add(s);
                    }
                }
            }
        }
        Vendor detected = QuirkProfiles.detect(root, system, manager.orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance()));
        QuirkProfile profile = QuirkProfiles.of(vendor.orElse(detected));
        t.useQuirks(profile.transport());
        String settings = system.path("Boot").path("@Redfish.Settings").path("SettingsObject").path("@odata.id").asText(
                system.path("@Redfish.Settings").path("SettingsObject").path("@odata.id").asText(systemPath));
        return new BmcInventory(root, systemPath, system, List.copyOf(managers), manager, List.copyOf(slots), profile,
                vendor.isEmpty(), settings);
    }

    private static String chooseSystem(RedfishTransport t, JsonNode root, Optional<String> systemId) {
        if (!root.path("Systems").has("@odata.id")) {
            throw new RedfishException("the BMC at " + t.base() + " lists no Systems in its service root");
        }
        List<String> systems = members(t, root.path("Systems").path("@odata.id").asText());
        if (systemId.isPresent()) {
            String want = systemId.get();
            return systems.stream()
                    .filter(p -> p.equals(want) || p.equals(want + "/") || VirtualMediaSlot.lastSegment(p).equals(want))
                    .findFirst()
                    .orElseThrow(() -> new RedfishException("the BMC at " + t.base() + " has no system \"" + want
                            + "\"; it has " + systems));
        }
        if (systems.size() != 1) {
            throw new RedfishException("the BMC at " + t.base() + " has " + systems.size() + " systems " + systems
                    + "; say which with server.system_id");
        }
        return systems.getFirst();
    }

    private static List<String> members(RedfishTransport t, String collection) {
        List<String> out = new ArrayList<>();
        t.get(collection).body().path("Members").forEach(m -> out.add(m.path("@odata.id").asText()));
        return out;
    }

    private static List<VirtualMediaSlot> slots(RedfishTransport t, String collection, boolean underSystem) {
        List<VirtualMediaSlot> out = new ArrayList<>();
        for (String path : members(t, collection)) {
            RedfishResponse r = t.get(path);
            out.add(VirtualMediaSlot.of(r, path, underSystem));
        }
        return out;
    }
}

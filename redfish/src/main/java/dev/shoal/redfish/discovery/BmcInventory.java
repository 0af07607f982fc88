package dev.shoal.redfish.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.redfish.quirks.QuirkProfile;

import java.util.List;
import java.util.Optional;

/**
 * What discovery learned of a BMC: the system Shoal will drive, its managers and virtual media slots, and the
 * quirk profile that applies (detected, or the operator's choice).
 *
 * @param bootSettingsPath where boot overrides are PATCHed: the system itself, or its {@code @Redfish.Settings} resource
 */
public record BmcInventory(JsonNode serviceRoot, String systemPath, JsonNode system, List<String> managerPaths,
                           Optional<JsonNode> manager, List<VirtualMediaSlot> slots, QuirkProfile profile,
                           boolean vendorDetected, String bootSettingsPath) {

    public String manufacturer() {
        return system.path("Manufacturer").asText(manager.map(m -> m.path("Manufacturer").asText("")).orElse(""));
    }

    public String powerState() {
        return system.path("PowerState").asText("Unknown");
    }

    /** The values the BMC allows for a Boot property, when it says (empty list: it does not say). */
    public List<String> allowable(String bootProperty) {
        JsonNode a = system.path("Boot").path(bootProperty + "@Redfish.AllowableValues");
        return a.isArray() ? java.util.stream.StreamSupport.stream(a.spliterator(), false).map(JsonNode::asText).toList()
                : List.of();
    }

    public List<String> resetTypes() {
        JsonNode a = system.path("Actions").path("#ComputerSystem.Reset").path("ResetType@Redfish.AllowableValues");
        return a.isArray() ? java.util.stream.StreamSupport.stream(a.spliterator(), false).map(JsonNode::asText).toList()
                : List.of();
    }

    public Optional<String> resetTarget() {
        return Optional.ofNullable(system.path("Actions").path("#ComputerSystem.Reset").path("target").asText(null));
    }
}

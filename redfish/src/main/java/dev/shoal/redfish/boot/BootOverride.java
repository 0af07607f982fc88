package dev.shoal.redfish.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.redfish.discovery.BmcInventory;
import dev.shoal.redfish.transport.RedfishException;
import dev.shoal.redfish.transport.RedfishResponse;
import dev.shoal.redfish.transport.RedfishTransport;

import java.util.Map;
import java.util.Optional;

/**
 * BootSourceOverride. Enabled, Target and Mode always travel together (AMI rejects a PATCH without all
 * three; Supermicro one without Enabled). Where the BMC keeps Boot in a {@code @Redfish.Settings} resource
 * (iDRAC10), the PATCH goes there and applies at the next boot, so it cannot be read back before.
 */
public final class BootOverride {
    private final RedfishTransport t;
    private final BmcInventory inventory;
    private final BootEvents events;

    public BootOverride(RedfishTransport t, BmcInventory inventory, BootEvents events) {
        this.t = t;
        this.inventory = inventory;
        this.events = events;
    }

    public void set(String target, String enabled, String mode) {
        check("BootSourceOverrideTarget", target);
        check("BootSourceOverrideEnabled", enabled);
        String path = inventory.bootSettingsPath();
        RedfishResponse current = t.get(path);
        ObjectNode boot = JsonMapper.builder().build().createObjectNode();
        ObjectNode b = boot.putObject("Boot");
        b.put("BootSourceOverrideEnabled", enabled);
        b.put("BootSourceOverrideTarget", target);
        boolean modeSupported = inventory.system().path("Boot").has("BootSourceOverrideMode")
                || !inventory.allowable("BootSourceOverrideMode").isEmpty();
        if (modeSupported) {
            b.put("BootSourceOverrideMode", mode);
        }
        t.patch(path, boot, current.etag());
        boolean pendingSettings = !path.equals(inventory.systemPath());
        if (!pendingSettings) {
            JsonNode now = t.get(path).body().path("Boot");
            // read back: some BMCs answer 200 and silently keep another value (Supermicro reverting UEFI to Legacy)
            boolean modeKept = !modeSupported || !now.has("BootSourceOverrideMode")
                    || now.path("BootSourceOverrideMode").asText().equals(mode);
            if (!now.path("BootSourceOverrideTarget").asText().equals(target)
                    || !now.path("BootSourceOverrideEnabled").asText().equals(enabled) || !modeKept) {
                throw new RedfishException("the BMC accepted boot override " + target + "/" + enabled + "/" + mode
                        + " but reports " + now.path("BootSourceOverrideTarget").asText() + "/"
                        + now.path("BootSourceOverrideEnabled").asText() + "/" + now.path("BootSourceOverrideMode").asText("-"));
            }
        }
        events.step("boot-override", "boot override set to " + target + ", " + enabled
                        + (modeSupported ? ", " + mode : " (the BMC has no boot mode setting)")
                        + (pendingSettings ? " in " + path + " (applies at next boot)" : ""),
                Map.of("target", target, "enabled", enabled, "mode", modeSupported ? mode : "n/a"));
    }

    /** Boot to disk for good (Continuous), or once where the BMC offers only Once. */
    public void disk() {
        Optional<String> continuousRefused = inventory.allowable("BootSourceOverrideEnabled").isEmpty()
                || inventory.allowable("BootSourceOverrideEnabled").contains("Continuous")
                ? Optional.empty() : Optional.of("not offered");
        if (continuousRefused.isEmpty()) {
            try {
                set("Hdd", "Continuous", "UEFI");
                return;
            } catch (RedfishException e) {
                if (e.bmcError().map(x -> x.status() >= 500).orElse(true)) {
                    throw e;
                }
                continuousRefused = Optional.of(e.getMessage());
            }
        }
        events.step("boot-override", "Continuous boot override refused (" + continuousRefused.get() + "); using Once",
                Map.of());
        set("Hdd", "Once", "UEFI");
    }

    private void check(String property, String value) {
        var allowed = inventory.allowable(property);
        if (!allowed.isEmpty() && !allowed.contains(value)) {
            throw new RedfishException("the BMC does not allow " + property + " " + value + " (it allows " + allowed + ")");
        }
    }
}

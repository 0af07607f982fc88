package dev.shoal.bmcsim.personality;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.bmc.Messages;
import dev.shoal.bmcsim.bmc.PowerTimeline;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Dell iDRAC 10 (17G): everything of iDRAC 9 except (docs/redfish-quirks.md D6):
 * <ul>
 * <li>virtual media only under Systems/System.Embedded.1/VirtualMedia: slots 1 and 2 look identical but only
 *     slot 1 boots; none under the Manager;</li>
 * <li>the System lists no BootSourceOverrideTarget@Redfish.AllowableValues; the Settings resource does;</li>
 * <li>boot override lives in the @Redfish.Settings resource Systems/System.Embedded.1/Settings (linked both
 *     at the top of the ComputerSystem, where DMTF and sushy look, and inside Boot) and applies at the next
 *     reset. A PATCH of the override properties on the System itself answers 400 PropertyNotWritable naming
 *     the Settings URI: refusing loudly rather than ignoring, so a client that PATCHes the wrong place learns
 *     at once instead of booting the wrong device (the real firmware's choice is unconfirmed);</li>
 * <li>power On within {@link #ON_AFTER_OFF} of a completed power-off answers 409 (ResourceInUse; unconfirmed).</li>
 * </ul>
 */
final class Idrac10Vendor extends DellVendor {
    static final Duration ON_AFTER_OFF = Duration.ofSeconds(2);
    private static final Set<String> OVERRIDE = Set.of("BootSourceOverrideEnabled", "BootSourceOverrideTarget", "BootSourceOverrideMode");

    Idrac10Vendor() {
        super(new Identity(IDRAC9.defaultCredentials(), IDRAC9.manufacturer(), IDRAC9.vendorName(), "PowerEdge R770",
                IDRAC9.product(), null, IDRAC9.systemId(), IDRAC9.managerId(), IDRAC9.chassisId(), "1.20.25.00", "Base.1.18"));
    }

    @Override
    String systemGeneration() {
        return "17G Monolithic";
    }

    @Override
    public List<SlotSpec> slots() {
        return List.of(SlotSpec.of("1", "VirtualMedia 1", "CD", "DVD", "USBStick"), SlotSpec.of("2", "VirtualMedia 2", "CD", "DVD", "USBStick"));
    }

    @Override
    public boolean bootsFrom(SlotSpec slot) {
        return slot.id().equals("1");
    }

    @Override
    public boolean mediaUnderManager() {
        return false;
    }

    @Override
    public String settingsSegment() {
        return "Settings";
    }

    @Override
    public boolean systemListsBootTargets() {
        return false;
    }

    @Override
    public void checkBootPatch(ObjectNode boot, PowerTimeline t, Messages m) {
        for (String p : OVERRIDE) {
            if (boot.has(p)) {
                throw m.propertyNotWritable(p, "Boot override settings of System.Embedded.1 are changed through "
                        + "/redfish/v1/Systems/System.Embedded.1/Settings and apply at the next reset.");
            }
        }
    }

    @Override
    public void checkReset(String resetType, PowerTimeline t, Messages m) {
        super.checkReset(resetType, t, m);
        boolean powersOn = resetType.equals("On") || resetType.equals("ForceOn") || resetType.equals("PushPowerButton");
        if (powersOn && t.offFor(ON_AFTER_OFF)) {
            throw m.resourceInUse("The server is completing a power-off; power it on again in a few seconds.");
        }
    }
}

package dev.shoal.bmcsim.personality;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.Credentials;
import dev.shoal.bmcsim.bmc.EtagKind;
import dev.shoal.bmcsim.bmc.Fixtures;
import dev.shoal.bmcsim.bmc.Messages;
import dev.shoal.bmcsim.bmc.PowerTimeline;
import dev.shoal.bmcsim.media.InsertRequirements;

import java.util.List;
import java.util.Set;

/**
 * AMI MegaRAC (ASRockRack boards; docs/redfish-quirks.md G4, AMI). Ids Systems/Self, Managers/Self.
 * What clients trip over:
 * <ul>
 * <li>boot override lives in the settings object Systems/Self/SD (@Redfish.Settings, applied at the next
 *     reset); a Boot PATCH on Systems/Self answers 400 Ami.1.0.OperationSupportedInFutureStateURI;</li>
 * <li>a PATCH of SD without If-Match answers 428 PreconditionRequired (clients send the ETag or {@code *});</li>
 * <li>a Boot PATCH of SD must carry BootSourceOverrideMode, BootSourceOverrideEnabled and
 *     BootSourceOverrideTarget together, else 400 PropertyMissing naming the first one missing;</li>
 * <li>InsertMedia without TransferProtocolType answers the real MegaRAC error
 *     (Base.1.12.ActionParameterMissing, transfer_proto_required_error3.json).</li>
 * </ul>
 */
final class AmiVendor extends Vendor {
    private static final Set<String> OVERRIDE = Set.of("BootSourceOverrideEnabled", "BootSourceOverrideTarget", "BootSourceOverrideMode");

    AmiVendor() {
        super(new Identity(new Credentials("admin", "admin"), "ASRockRack", "AMI", "ROMED8-2T", "AMI Redfish Server", null,
                "Self", "Self", "Self", "12.61.21", DMTF.registry()));
    }

    @Override
    public List<SlotSpec> slots() {
        return List.of(SlotSpec.of("CD1", "Virtual CD", "CD", "DVD"), SlotSpec.of("USBStick1", "Virtual USB", "USBStick"));
    }



    @Override
    public String settingsSegment() {
        return "SD";
    }

    @Override
    public boolean requiresIfMatch(EtagKind kind) {
        return kind == EtagKind.SETTINGS;
    }

    @Override
    public void checkBootPatch(ObjectNode boot, PowerTimeline t, Messages m) {
        for (String p : OVERRIDE) {
            if (boot.has(p)) {
                throw Messages.error(400, "Ami.1.0.OperationSupportedInFutureStateURI",
                        "The operation is supported only through the future state URI /redfish/v1/Systems/Self/SD.",
                        List.of("/redfish/v1/Systems/Self/SD"), List.of(p), "Warning",
                        "Send the request to the future state URI.");
            }
        }
    }

    @Override
    public void checkSettingsPatch(ObjectNode boot, Messages m) {
        for (String p : List.of("BootSourceOverrideMode", "BootSourceOverrideEnabled", "BootSourceOverrideTarget")) {
            if (!boot.has(p)) {
                throw m.propertyMissing(p, "This BMC needs BootSourceOverrideMode, BootSourceOverrideEnabled and BootSourceOverrideTarget together.");
            }
        }
    }

    @Override
    public void checkInsert(InsertCall call, Messages m) {
        super.checkInsert(call, m);
        if (!call.has("TransferProtocolType")) {
            throw Fixtures.error(InsertRequirements.ProtocolError.ACTION_PARAMETER_MISSING_1_12.fixture(), call.actionUri());
        }
    }
}

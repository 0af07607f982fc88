package dev.shoal.bmcsim.personality;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.Credentials;
import dev.shoal.bmcsim.bmc.Messages;
import dev.shoal.bmcsim.bmc.PowerTimeline;
import dev.shoal.bmcsim.http.Json;

import java.util.List;
import java.util.Set;

/**
 * Supermicro X11/X12 (docs/redfish-quirks.md S1-S5). What clients trip over:
 * <ul>
 * <li>InsertMedia refuses the (DMTF-optional) Inserted and WriteProtected parameters: 400 PropertyUnknown
 *     ("The property Inserted is not in the list of valid properties for the resource.");</li>
 * <li>the virtual CD boots only as {@code UsbCd}. {@code Cd} is allowed too, as on the real X11/X12 (sushy:
 *     "Both are present in the list of boot devices, however only selecting UsbCd ... results in a
 *     successful boot from vMedia"), but it boots the empty physical drive, so the machine boots its disk;</li>
 * <li>a Boot PATCH without BootSourceOverrideEnabled answers 400 PropertyMissing; one without
 *     BootSourceOverrideMode is accepted but the mode reverts to Legacy (S3: "revert to default value if
 *     not explicitly passed");</li>
 * <li>after an eject, GET still shows the old Image and ImageName, with Inserted false and ConnectedVia
 *     NotConnected (S4);</li>
 * <li>image URLs with {@code ?} or {@code =} are refused (400 ActionParameterValueFormatError; S5 is
 *     unconfirmed, kept to keep signed query strings out of media URLs).</li>
 * </ul>
 */
final class SupermicroVendor extends Vendor {
    SupermicroVendor() {
        super(new Identity(new Credentials("ADMIN", "ADMIN"), "Supermicro", null, "SYS-1029U-TRT", DMTF.product(), null,
                "1", "1", "1", "01.73.11", "Base.1.10"));
    }

    @Override
    public List<SlotSpec> slots() {
        return List.of(SlotSpec.of("CD1", "Virtual CD", "CD", "DVD"), SlotSpec.of("USB1", "Virtual USB", "USBStick"));
    }



    @Override
    public List<String> bootTargets() {
        return List.of("None", "Pxe", "Floppy", "Cd", "Usb", "Hdd", "BiosSetup", "UsbCd", "UsbFloppy", "UsbHdd", "UefiShell", "UefiHttp");
    }

    @Override
    public Set<String> cdTargets() {
        return Set.of("UsbCd");
    }

    @Override
    public void checkBootPatch(ObjectNode boot, PowerTimeline t, Messages m) {
        if (!boot.has("BootSourceOverrideEnabled")) {
            throw m.propertyMissing("BootSourceOverrideEnabled", "This BMC needs BootSourceOverrideEnabled in every Boot change.");
        }
    }

    @Override
    public dev.shoal.bmcsim.bmc.BootOverride afterBootPatch(ObjectNode boot, dev.shoal.bmcsim.bmc.BootOverride next) {
        return boot.has("BootSourceOverrideMode") ? next : new dev.shoal.bmcsim.bmc.BootOverride(next.enabled(), next.target(), "Legacy");
    }

    @Override
    public boolean keepsImageAfterEject() {
        return true;
    }

    @Override
    public void checkInsert(InsertCall call, Messages m) {
        for (String flag : List.of("Inserted", "WriteProtected")) {
            if (call.has(flag)) {
                throw m.propertyUnknown(flag);
            }
        }
        String image = call.image();
        if (image != null && (image.contains("?") || image.contains("="))) {
            throw m.actionParameterValueFormatError(image, "Image", call.actionUri(),
                    "The image path must not contain '?' or '='.");
        }
        super.checkInsert(call, m);
    }

    @Override
    public void decorateSystem(ObjectNode system, PowerTimeline timeline) {
        system.set("Oem", Json.object().set("Supermicro", Json.object().put("@odata.type", "#SmcSystemExtensions.v1_0_0.System")));
    }
}

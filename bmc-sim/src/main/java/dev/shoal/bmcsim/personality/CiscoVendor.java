package dev.shoal.bmcsim.personality;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.Credentials;
import dev.shoal.bmcsim.bmc.Messages;
import dev.shoal.bmcsim.bmc.PowerTimeline;
import dev.shoal.bmcsim.http.Json;

import java.util.List;

/**
 * Cisco CIMC / UCS (docs/redfish-quirks.md Cisco, G11). Every slot reports MediaTypes ["DVD"] (never
 * "CD"), so a client looking for "CD" finds nothing. The first two slots belong to the KVM console:
 * InsertMedia on slot 0 answers 400 (ActionNotSupported), on slot 1 405 (with {@code Allow: GET}), as
 * UCS blades and the C845A M8 do; clients must move on to the CIMC-mapped slots (2: vDVD, 3: vHDD).
 */
final class CiscoVendor extends Vendor {
    CiscoVendor() {
        super(new Identity(new Credentials("admin", "password"), "Cisco Systems Inc", null, "UCSC-C220-M5SX", DMTF.product(), null,
                "WZP23150UJV", "CIMC", "1", "4.1(3b)", "Base.1.4"));
    }

    @Override
    public List<SlotSpec> slots() {
        return List.of(new SlotSpec("0", "vKVM-Mapped vDVD", List.of("DVD"), true),
                new SlotSpec("1", "vKVM-Mapped vDVD2", List.of("DVD"), true),
                SlotSpec.of("2", "CIMC-Mapped vDVD", "DVD"),
                SlotSpec.of("3", "CIMC-Mapped vHDD", "USBStick"));
    }



    @Override
    public List<String> bootTargets() {
        return List.of("None", "Pxe", "Floppy", "Cd", "Hdd", "BiosSetup", "Usb", "UefiShell");
    }

    @Override
    public void checkInsert(InsertCall call, Messages m) {
        if (call.slot().kvmOnly()) {
            String detail = "Virtual media " + call.slot().id() + " is reserved for the vKVM console; use a CIMC-mapped slot.";
            throw call.slot().id().equals("0") ? m.actionNotSupported(400, "VirtualMedia.InsertMedia", detail)
                    : m.actionNotSupported(405, "VirtualMedia.InsertMedia", detail).withHeader("Allow", "GET");
        }
        super.checkInsert(call, m);
    }

    @Override
    public void decorateSystem(ObjectNode system, PowerTimeline timeline) {
        system.set("Oem", Json.object().set("Cisco", Json.object().put("@odata.type", "#CiscoUCSExtensions.v1_0_0.Cisco")));
    }
}

package dev.shoal.bmcsim.personality;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.Credentials;
import dev.shoal.bmcsim.bmc.Messages;
import dev.shoal.bmcsim.bmc.PowerTimeline;
import dev.shoal.bmcsim.http.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Lenovo XClarity Controller (docs/redfish-quirks.md G2, Lenovo XCC). Ten predefined slots (EXT1-4,
 * RDOC1-2, Remote1-4) with no InsertMedia/EjectMedia actions: media is inserted with PATCH
 * {Image, Inserted: true, WriteProtected} (GET answers {@code Allow: GET, PATCH}) and ejected with PATCH
 * {Image: null, Inserted: false}. Only EXT slots mount from a URL; a PATCH insert on the others answers
 * 400. A PATCH with an Image but without Inserted stores the URL and attaches nothing (sushy's note on
 * the SD530), so clients must send Inserted.
 */
final class LenovoVendor extends Vendor {
    LenovoVendor() {
        super(new Identity(new Credentials("USERID", "PASSW0RD"), "Lenovo", null, "ThinkSystem SR650", "Lenovo XClarity Controller",
                null, "1", "1", "1", "TEI3A4F 2.94", "Base.1.10"));
    }

    @Override
    public List<SlotSpec> slots() {
        List<SlotSpec> slots = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            slots.add(SlotSpec.of("EXT" + i, "EXT" + i, "CD", "DVD", "USBStick"));
        }
        for (int i = 1; i <= 2; i++) {
            slots.add(SlotSpec.of("RDOC" + i, "RDOC" + i, "CD", "DVD", "USBStick"));
        }
        for (int i = 1; i <= 4; i++) {
            slots.add(SlotSpec.of("Remote" + i, "Remote" + i, "CD", "DVD", "USBStick"));
        }
        return slots;
    }


    @Override
    public boolean mediaActions() {
        return false;
    }

    @Override
    public boolean mediaPatch() {
        return true;
    }

    @Override
    public boolean patchInsertsWithoutInsertedFlag() {
        return false;
    }

    @Override
    public void checkInsert(InsertCall call, Messages m) {
        if (!call.slot().id().startsWith("EXT")) {
            throw m.propertyNotWritable("Image", "Virtual media " + call.slot().id()
                    + " mounts only files uploaded to the XCC; mount a URL through an EXT slot.");
        }
        super.checkInsert(call, m);
    }

    @Override
    public void decorateSystem(ObjectNode system, PowerTimeline timeline) {
        system.set("Oem", Json.object().set("Lenovo", Json.object().put("@odata.type", "#LenovoComputerSystem.v1_0_0.LenovoComputerSystem")));
    }
}

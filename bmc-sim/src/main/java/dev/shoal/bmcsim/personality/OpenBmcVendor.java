package dev.shoal.bmcsim.personality;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.bmcsim.Credentials;
import dev.shoal.bmcsim.bmc.EtagKind;
import dev.shoal.bmcsim.bmc.Messages;

import java.util.List;
import java.util.Locale;

/**
 * OpenBMC (bmcweb; docs/redfish-quirks.md OpenBMC, G18). Ids Systems/system, Managers/bmc; media under the
 * Manager only. InsertMedia is validated in bmcweb's order ({@code validateParams}):
 * <ul>
 * <li>an Image whose scheme is not https:// (or smb://), http:// included, answers 400
 *     ResourceAtUriInUnknownFormat, with a message saying only https:// is read;</li>
 * <li>TransferProtocolType other than HTTPS/CIFS answers 400 PropertyValueNotInList; one that disagrees with
 *     the URL's scheme 400 ActionParameterValueTypeError;</li>
 * <li>{@code Inserted: false} and a TransferMethod other than Stream answer 400 ActionParameterNotSupported.</li>
 * </ul>
 * ETags are weak ({@code W/"..."}) on the ComputerSystem, and the VirtualMedia ETag header is empty.
 * If-Match compares weakly (a tag with or without {@code W/} matches), and is ignored on VirtualMedia.
 */
final class OpenBmcVendor extends Vendor {
    OpenBmcVendor() {
        super(new Identity(new Credentials("root", "0penBmc"), "OpenBMC", null, "Romulus", "OpenBMC bmcweb", null,
                "system", "bmc", "chassis", "2.14.0-dev", "Base.1.13"));
    }

    @Override
    public List<SlotSpec> slots() {
        return List.of(SlotSpec.of("Slot_0", "Virtual Media Slot_0", "CD", "USBStick"), SlotSpec.of("Slot_1", "Virtual Media Slot_1", "CD", "USBStick"));
    }



    @Override
    public List<String> bootTargets() {
        return List.of("None", "Pxe", "Hdd", "Cd", "Diags", "BiosSetup", "Usb");
    }

    @Override
    public List<String> resetTypes() {
        return List.of("On", "ForceOff", "ForceOn", "ForceRestart", "GracefulRestart", "GracefulShutdown", "PowerCycle", "Nmi");
    }

    @Override
    public String etag(EtagKind kind, String hash) {
        return kind == EtagKind.VIRTUAL_MEDIA ? "" : "W/\"" + hash + "\"";
    }

    @Override
    public boolean ifMatch(EtagKind kind, String header, String hash) {
        if (kind == EtagKind.VIRTUAL_MEDIA || header == null || header.isBlank()) {
            return true;
        }
        for (String tag : header.split(",")) {
            String t = tag.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.equals("*") || t.equals("\"" + hash + "\"")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void checkInsert(InsertCall call, Messages m) {
        String image = call.image();
        if (image != null) {
            String lower = image.toLowerCase(Locale.ROOT);
            String scheme = lower.startsWith("https://") ? "HTTPS" : lower.startsWith("smb://") ? "CIFS" : null;
            if (scheme == null) {
                throw Messages.error(400, m.id("ResourceAtUriInUnknownFormat"), "The resource at " + image
                                + " is in a format not recognized by the service. This BMC reads virtual media over https:// (or smb://) only.",
                        List.of(image), List.of("Image"), "Warning", "Place an image or resource or file that is recognized by the service at the URI.");
            }
            JsonNode tpt = call.body().get("TransferProtocolType");
            if (tpt != null && !tpt.isNull()) {
                if (!List.of("HTTPS", "CIFS").contains(tpt.asText())) {
                    throw m.propertyValueNotInList("TransferProtocolType", tpt.asText(), List.of("HTTPS", "CIFS"));
                }
                if (!tpt.asText().equals(scheme)) {
                    throw m.actionParameterValueTypeError(tpt.asText(), "TransferProtocolType", call.actionUri());
                }
            }
        }
        JsonNode inserted = call.body().get("Inserted");
        if (inserted != null && inserted.isBoolean() && !inserted.asBoolean()) {
            throw m.actionParameterNotSupported("Inserted", call.actionUri(), null);
        }
        JsonNode method = call.body().get("TransferMethod");
        if (method != null && !method.isNull() && !method.asText().equals("Stream")) {
            throw m.actionParameterNotSupported("TransferMethod", call.actionUri(), null);
        }
        super.checkInsert(call, m);
    }
}

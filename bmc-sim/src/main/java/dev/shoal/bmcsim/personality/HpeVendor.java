package dev.shoal.bmcsim.personality;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.Credentials;
import dev.shoal.bmcsim.bmc.Incoming;
import dev.shoal.bmcsim.bmc.Messages;
import dev.shoal.bmcsim.bmc.PowerState;
import dev.shoal.bmcsim.bmc.PowerTimeline;
import dev.shoal.bmcsim.bmc.RedfishError;
import dev.shoal.bmcsim.http.HttpReply;
import dev.shoal.bmcsim.http.Json;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * HPE iLO 5/6 (docs/redfish-quirks.md H1-H5, G3, G6). What clients trip over:
 * <ul>
 * <li>ids Systems/1, Managers/1; Oem.Hpe everywhere, with Oem.Hpe.PostState on the system; media only
 *     under the Manager (slot 1 Floppy/USBStick, slot 2 CD/DVD);</li>
 * <li>errors in iLO's own shape: {@code code: "iLO.0.10.ExtendedInfo"}, ExtendedInfo entries with only
 *     MessageId and MessageArgs; success answers are 200 with the same wrapper around Base.1.4.Success;</li>
 * <li>EjectMedia without a body answers 400 (iLO wants {@code {}}); an eject of an empty slot answers 400;</li>
 * <li>a Boot PATCH while the server powers on or POSTs ({@link #POST_TIME} after power-on) answers 400
 *     iLO.2.16.UnableToModifyDuringSystemPOST;</li>
 * <li>a reset to the power state already reached answers 400 iLO.2.16.InvalidOperationForSystemState with
 *     MessageArgs ["Power is on"] / ["Power is off"] (H2: not a wait-and-retry error);</li>
 * <li>bodies come gzip-compressed unless the client sends {@code Accept-Encoding} without gzip (iLO 5
 *     compresses when the header is absent). The 406 answer to {@code Accept-Encoding: identity} that some
 *     firmware is said to give is unconfirmed, and would lock sushy out, so it is a fault
 *     ({@code FaultPlan.rejectIdentityEncoding}) rather than a default.</li>
 * </ul>
 */
final class HpeVendor extends Vendor {
    static final Duration POST_TIME = Duration.ofSeconds(2);
    static final String ILO_REGISTRY = "iLO.2.16";

    HpeVendor() {
        super(new Identity(new Credentials("Administrator", "password"), "HPE", null, "ProLiant DL360 Gen10 Plus",
                "ProLiant DL360 Gen10 Plus", "iLO 5", "1", "1", "1", "iLO 5 v2.78", "Base.1.4"));
    }

    @Override
    public List<SlotSpec> slots() {
        return List.of(SlotSpec.of("1", "VirtualMedia", "Floppy", "USBStick"), SlotSpec.of("2", "VirtualMedia", "CD", "DVD"));
    }



    @Override
    public List<String> bootTargets() {
        return List.of("None", "Cd", "Hdd", "Usb", "SDCard", "Utilities", "Diags", "BiosSetup", "Pxe", "UefiShell", "UefiHttp", "UefiTarget");
    }

    @Override
    public boolean gzip(Incoming request) {
        String ae = request.header("Accept-Encoding");
        return ae == null || ae.toLowerCase(java.util.Locale.ROOT).contains("gzip");
    }

    @Override
    public void checkReset(String resetType, PowerTimeline t, Messages m) {
        boolean on = t.power() == PowerState.ON;
        boolean off = t.power() == PowerState.OFF;
        if (on && (resetType.equals("On") || resetType.equals("ForceOn"))) {
            throw ilo(400, "InvalidOperationForSystemState", "Power is on");
        }
        if (off && (resetType.equals("ForceOff") || resetType.equals("GracefulShutdown"))) {
            throw ilo(400, "InvalidOperationForSystemState", "Power is off");
        }
    }

    @Override
    public void checkBootPatch(ObjectNode boot, PowerTimeline t, Messages m) {
        if (t.power() == PowerState.POWERING_ON || (t.power() == PowerState.ON && t.onFor(POST_TIME))) {
            String property = boot.fieldNames().hasNext() ? boot.fieldNames().next() : "Boot";
            throw ilo(400, "UnableToModifyDuringSystemPOST", property);
        }
    }

    @Override
    public void checkEject(String actionUri, boolean bodyPresent, Messages m) {
        if (!bodyPresent) {
            throw m.malformedJson();
        }
    }

    @Override
    public Optional<RedfishError> ejectWhenEmpty(String slotId, Messages m) {
        return Optional.of(ilo(400, "InvalidOperationForSystemState", "No media is inserted in virtual media " + slotId));
    }

    @Override
    public RedfishError alreadyInserted(InsertCall call, String current, Messages m) {
        return ilo(400, "MaxVirtualMediaConnectionEstablished", call.slot().id());
    }

    @Override
    public HttpReply actionSuccess() {
        return HttpReply.json(200, wrapper(Json.object().put("MessageId", registry() + ".Success")));
    }

    @Override
    public HttpReply patchSuccess() {
        return actionSuccess();
    }

    @Override
    public void decorateRoot(ObjectNode root) {
        ObjectNode mgr = Json.object().put("ManagerType", "iLO 5").put("ManagerFirmwareVersion", "2.78");
        root.set("Oem", Json.object().set("Hpe", Json.object().put("@odata.type", "#HpeiLOServiceExt.v2_5_0.HpeiLOServiceExt")
                .set("Manager", Json.array().add(mgr))));
    }

    @Override
    public void decorateSystem(ObjectNode system, PowerTimeline t) {
        String post = switch (t.power()) {
            case OFF, POWERING_OFF -> "PowerOff";
            case POWERING_ON -> "InPost";
            case ON -> t.onFor(POST_TIME) ? "InPost" : "FinishedPost";
        };
        system.set("Oem", Json.object().set("Hpe", Json.object().put("@odata.type", "#HpeComputerSystemExt.v2_10_0.HpeComputerSystemExt")
                .put("PostState", post).put("PowerAllocationLimit", 500)));
    }

    @Override
    public void decorateManager(ObjectNode manager) {
        manager.set("Oem", Json.object().set("Hpe", Json.object().put("@odata.type", "#HpeiLO.v2_8_0.HpeiLO")
                .set("Firmware", Json.object().set("Current", Json.object().put("VersionString", firmwareVersion())))));
    }

    private static ObjectNode wrapper(ObjectNode info) {
        ObjectNode error = Json.object();
        error.put("code", "iLO.0.10.ExtendedInfo");
        error.put("message", "See @Message.ExtendedInfo for more information.");
        error.set("@Message.ExtendedInfo", Json.array().add(info));
        return Json.object().set("error", error);
    }

    /** iLO's error shape: the ExtendedInfo entry carries only MessageId and MessageArgs. */
    static RedfishError ilo(int status, String key, String... args) {
        ObjectNode info = Json.object().put("MessageId", ILO_REGISTRY + "." + key);
        info.set("MessageArgs", Json.strings(List.of(args)));
        return new RedfishError(status, wrapper(info));
    }
}

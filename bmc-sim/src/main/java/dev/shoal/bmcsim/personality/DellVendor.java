package dev.shoal.bmcsim.personality;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.Credentials;
import dev.shoal.bmcsim.bmc.Messages;
import dev.shoal.bmcsim.bmc.PowerTimeline;
import dev.shoal.bmcsim.bmc.RedfishError;
import dev.shoal.bmcsim.http.HttpReply;
import dev.shoal.bmcsim.http.Json;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Dell iDRAC 9. What clients trip over:
 * <ul>
 * <li>ids System.Embedded.1 / iDRAC.Embedded.1; virtual media under the Manager (slots CD and
 *     RemovableDisk) and, on newer firmware, under the System as well (the same two devices);</li>
 * <li>an eject keeps running for {@link #EJECT_TIME} after its 204: meanwhile the slot still reads
 *     {@code Inserted: true} (Image already null) and InsertMedia answers 500 with IDRAC SYS446 and
 *     Base InternalError under GeneralError (the iDRAC 3.30 body, quirks D1);</li>
 * <li>for the first {@link #NOT_READY_GETS} GETs of Systems/Managers/Chassis after a reset action the
 *     iDRAC answers 503 with IDRAC.2.8.SYS518 plus Base ServiceTemporarilyUnavailable (the observed body,
 *     docs/redfish-quirks.md D3), with {@code Retry-After: 1} so tests stay fast;</li>
 * <li>media that cannot be read fails the insert with 500 (RAC0720), a second insert into a busy slot
 *     with 500 (VRM0012), an eject of an empty slot with 500 (VRM0009);</li>
 * <li>a reset to the power state the server is already in answers 409 ("Server is already powered ON.");</li>
 * <li>a PATCH answers 200 with a Success message rather than 204.</li>
 * </ul>
 * <li>Manager.Model is the server generation ("14G Monolithic"), which Ironic parses to tell iDRAC 9 from 10;
 *     firmware 6.x, where the standard {@code Cd} override boots the virtual CD (quirks D5).</li>
 * Message ids VRM0009/VRM0012 follow iDRAC's naming but their wording is the simulator's.
 */
class DellVendor extends Vendor {
    static final Duration EJECT_TIME = Duration.ofMillis(1500);
    static final int NOT_READY_GETS = 2;
    static final String IDRAC_REGISTRY = "IDRAC.2.8";

    /** Manager.Model is not here: it is {@link #systemGeneration()}, which iDRAC 10 changes. */
    static final Identity IDRAC9 = new Identity(new Credentials("root", "calvin"), "Dell Inc.", "Dell", "PowerEdge R640",
            "Integrated Dell Remote Access Controller", null, "System.Embedded.1", "iDRAC.Embedded.1", "System.Embedded.1",
            "6.10.30.00", "Base.1.8");

    DellVendor() {
        this(IDRAC9);
    }

    DellVendor(Identity identity) {
        super(identity);
    }

    @Override
    public List<SlotSpec> slots() {
        return List.of(SlotSpec.of("CD", "Virtual CD", "CD", "DVD"), SlotSpec.of("RemovableDisk", "Virtual Removable Disk", "USBStick"));
    }


    @Override
    public Duration ejectDuration() {
        return EJECT_TIME;
    }

    @Override
    public List<String> bootTargets() {
        return List.of("None", "Pxe", "Floppy", "Cd", "Hdd", "BiosSetup", "Utilities", "UefiTarget", "SDCard", "UefiHttp");
    }

    @Override
    public int notReadyAfterPowerChange() {
        return NOT_READY_GETS;
    }

    @Override
    public String managerModel() {
        return systemGeneration();
    }

    @Override
    public RedfishError notReady(Messages m) {
        return twoMessages(503, "Base.1.12.GeneralError", "A general error has occurred. See ExtendedInfo for more information.",
                message(IDRAC_REGISTRY + ".SYS518", "iDRAC is currently unable to display any information because data sources are unavailable.",
                        List.of(), "Wait for few minutes and retry the operation. If the issue persists, reset the iDRAC."),
                message("Base.1.12.ServiceTemporarilyUnavailable", "The service is temporarily unavailable.  Retry in 1 seconds.",
                        List.of("1"), "Wait for the indicated retry duration and retry the operation."))
                .withHeader("Retry-After", "1");
    }

    @Override
    public void checkReset(String resetType, PowerTimeline t, Messages m) {
        boolean on = t.power() == dev.shoal.bmcsim.bmc.PowerState.ON;
        boolean off = t.power() == dev.shoal.bmcsim.bmc.PowerState.OFF;
        if (on && (resetType.equals("On") || resetType.equals("ForceOn"))) {
            throw m.resourceInUse("Server is already powered ON.");
        }
        if (off && (resetType.equals("ForceOff") || resetType.equals("GracefulShutdown"))) {
            throw m.resourceInUse("Server is already powered OFF.");
        }
    }

    @Override
    public RedfishError insertFailed(InsertCall call, String detail, Messages m) {
        return idrac(500, "RAC0720", "Unable to locate the ISO or IMG image file or folder in the network share location because the file "
                        + "or folder path or the user credentials entered are incorrect: " + call.image() + " (" + detail + ")",
                "Retry the operation with the correct information.");
    }

    @Override
    public RedfishError alreadyInserted(InsertCall call, String current, Messages m) {
        return idrac(500, "VRM0012", "The requested operation cannot be performed because the Virtual Media device "
                + call.slot().id() + " is already connected (" + current + ").", "Disconnect the Virtual Media device and retry the operation.");
    }

    @Override
    public RedfishError ejectInProgress(InsertCall call, Messages m) {
        return twoMessages(500, registry() + ".GeneralError", "A general error has occurred. See ExtendedInfo for more information.",
                message(IDRAC_REGISTRY + ".SYS446", "Unable to complete the operation because the virtual media device " + call.slot().id()
                        + " is being disconnected.", List.of(), "Retry the operation after a few minutes."),
                message(registry() + ".InternalError", "The request failed due to an internal service error.  The service is still operational.",
                        List.of(), "Resubmit the request.  If the problem persists, consider resetting the service."));
    }

    @Override
    public Optional<RedfishError> ejectWhenEmpty(String slotId, Messages m) {
        return Optional.of(idrac(500, "VRM0009", "No Virtual Media devices are currently connected.", "No response action is required."));
    }

    @Override
    public HttpReply patchSuccess() {
        ObjectNode info = Json.object();
        info.put("MessageId", registry() + ".Success");
        info.put("Message", "Successfully Completed Request");
        info.set("MessageArgs", Json.array());
        info.put("Severity", "OK");
        info.put("Resolution", "None");
        return HttpReply.json(200, Json.object().set("@Message.ExtendedInfo", Json.array().add(info)));
    }

    @Override
    public void decorateRoot(ObjectNode root) {
        root.set("Oem", Json.object().set("Dell", Json.object().put("@odata.type", "#DellServiceRoot.v1_0_0.DellServiceRoot")
                .put("ManagerMACAddress", "d0:94:66:00:00:01").put("ServiceTag", "SIMTAG1")));
    }

    @Override
    public void decorateSystem(ObjectNode system, PowerTimeline timeline) {
        system.set("Oem", Json.object().set("Dell", Json.object().set("DellSystem", Json.object()
                .put("@odata.type", "#DellSystem.v1_3_0.DellSystem").put("ChassisServiceTag", "SIMTAG1")
                .put("SystemGeneration", systemGeneration()))));
    }

    String systemGeneration() {
        return "14G Monolithic";
    }

    @Override
    public void decorateManager(ObjectNode manager) {
        manager.set("Oem", Json.object().set("Dell", Json.object().set("DelliDRACCard", Json.object()
                .put("@odata.type", "#DelliDRACCard.v1_0_0.DelliDRACCard").put("IPMIVersion", "2.0"))));
    }

    static ObjectNode message(String id, String text, List<String> args, String resolution) {
        ObjectNode info = Json.object();
        info.put("@odata.type", "#Message.v1_1_1.Message");
        info.put("MessageId", id);
        info.put("Message", text);
        info.set("MessageArgs", Json.strings(args));
        info.set("RelatedProperties", Json.array());
        info.put("Severity", "Critical");
        info.put("Resolution", resolution);
        return info;
    }

    static RedfishError twoMessages(int status, String code, String text, ObjectNode first, ObjectNode second) {
        ObjectNode error = Json.object().put("code", code).put("message", text);
        error.set("@Message.ExtendedInfo", Json.array().add(first).add(second));
        return new RedfishError(status, Json.object().set("error", error));
    }

    static RedfishError idrac(int status, String key, String message, String resolution) {
        return Messages.error(status, IDRAC_REGISTRY + "." + key, message, List.of(), List.of(), status >= 500 ? "Critical" : "Warning", resolution);
    }

    @Override
    public boolean mediaUnderSystem() {
        return true;
    }
}

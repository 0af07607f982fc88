package dev.shoal.bmcsim.personality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.Credentials;
import dev.shoal.bmcsim.bmc.EtagKind;
import dev.shoal.bmcsim.bmc.Fixtures;
import dev.shoal.bmcsim.bmc.Incoming;
import dev.shoal.bmcsim.bmc.Messages;
import dev.shoal.bmcsim.bmc.PowerTimeline;
import dev.shoal.bmcsim.bmc.RedfishError;
import dev.shoal.bmcsim.http.HttpReply;
import dev.shoal.bmcsim.media.InsertRequirements;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a vendor does differently, with plain DMTF behaviour as the default. The Redfish service
 * asks its vendor at each point where real BMCs disagree (identities, slots, allowed values, extra
 * checks, error codes) and never tests the personality itself, so each vendor's quirks live in its own
 * subclass and nowhere else.
 */
public abstract class Vendor {
    public static final List<String> RESET_TYPES = List.of("On", "ForceOff", "GracefulShutdown", "GracefulRestart",
            "ForceRestart", "Nmi", "ForceOn", "PushPowerButton", "PowerCycle");
    public static final List<String> DMTF_BOOT_TARGETS = List.of("None", "Pxe", "Floppy", "Cd", "Usb", "Hdd", "BiosSetup",
            "Utilities", "Diags", "UefiShell", "UefiTarget", "SDCard", "UefiHttp");
    public static final List<String> OVERRIDE_ENABLED = List.of("Disabled", "Once", "Continuous");
    public static final List<String> TRANSFER_PROTOCOLS = List.of("CIFS", "FTP", "SFTP", "HTTP", "HTTPS", "NFS", "SCP", "TFTP", "OEM");
    public static final List<String> TRANSFER_METHODS = List.of("Stream", "Upload");
    static final Set<String> INSERT_PARAMETERS = Set.of("Image", "Inserted", "WriteProtected", "TransferProtocolType",
            "TransferMethod", "UserName", "Password");

    // ---- identity and shape -------------------------------------------------------------------------

    /**
     * What a vendor's BMC calls itself and where its resources live: constants only, one record per vendor.
     * A null vendorName means the manufacturer's; a null managerModel means the product's.
     */
    record Identity(Credentials defaultCredentials, String manufacturer, String vendorName, String model, String product,
                    String managerModel, String systemId, String managerId, String chassisId, String firmwareVersion,
                    String registry) {
        Identity {
            Objects.requireNonNull(defaultCredentials, "defaultCredentials");
            vendorName = vendorName == null ? manufacturer : vendorName;
            managerModel = managerModel == null ? product : managerModel;
        }
    }

    /** The DMTF mockups' identity (GenericVendor); others borrow its product name and registry. */
    static final Identity DMTF = new Identity(new Credentials("admin", "password"), "Contoso", null, "3500",
            "Shoal simulated BMC", null, "437XR1138R2", "BMC", "1U", "1.45.455b66-rev4", "Base.1.12");

    private final Identity identity;

    Vendor(Identity identity) {
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    public Credentials defaultCredentials() {
        return identity.defaultCredentials();
    }

    public String manufacturer() {
        return identity.manufacturer();
    }

    public String model() {
        return identity.model();
    }

    /** ServiceRoot.Vendor. */
    public String vendorName() {
        return identity.vendorName();
    }

    public String product() {
        return identity.product();
    }

    public String systemId() {
        return identity.systemId();
    }

    public String managerId() {
        return identity.managerId();
    }

    public String chassisId() {
        return identity.chassisId();
    }

    public String firmwareVersion() {
        return identity.firmwareVersion();
    }

    public String redfishVersion() {
        return "1.15.0";
    }

    /** The Base registry version this firmware's messages carry. */
    public String registry() {
        return identity.registry();
    }

    /** Manager.Model; iDRAC reports the server generation here ("14G Monolithic"), which clients parse. */
    public String managerModel() {
        return identity.managerModel();
    }

    public String systemType() {
        return "#ComputerSystem.v1_20_0.ComputerSystem";
    }

    public String managerType() {
        return "#Manager.v1_18_0.Manager";
    }

    public String virtualMediaType() {
        return "#VirtualMedia.v1_6_0.VirtualMedia";
    }

    // ---- virtual media ------------------------------------------------------------------------------

    public List<SlotSpec> slots() {
        return List.of(SlotSpec.of("CD1", "Virtual CD", "CD", "DVD"), SlotSpec.of("Floppy1", "Virtual Removable Media", "Floppy", "USBStick"));
    }

    public boolean mediaUnderManager() {
        return true;
    }

    /** Slots are listed under the System as well as the Manager (DMTF mockup, newer iDRAC); most BMCs: Manager only. */
    public boolean mediaUnderSystem() {
        return false;
    }

    /** Whether the firmware boots from this slot when the override targets the CD (iDRAC 10: slot 1 only). */
    public boolean bootsFrom(SlotSpec slot) {
        return slot.cdType();
    }

    /** After an eject, GET still shows the last Image/ImageName (with Inserted false, NotConnected): Supermicro. */
    public boolean keepsImageAfterEject() {
        return false;
    }

    /** Slots offer #VirtualMedia.InsertMedia / EjectMedia. */
    public boolean mediaActions() {
        return true;
    }

    /** Slots accept PATCH {Image, Inserted, WriteProtected} (and say so in Allow): the DMTF mockup, Lenovo XCC. */
    public boolean mediaPatch() {
        return false;
    }

    /** A PATCH that sets Image without Inserted attaches the media (DMTF default true). */
    public boolean patchInsertsWithoutInsertedFlag() {
        return true;
    }

    /** How long an eject keeps running after its answer: inserts fail meanwhile, Inserted still reads true. */
    public Duration ejectDuration() {
        return Duration.ZERO;
    }

    // ---- boot and power -----------------------------------------------------------------------------

    public List<String> bootTargets() {
        return DMTF_BOOT_TARGETS;
    }

    public List<String> bootModes() {
        return List.of("UEFI", "Legacy");
    }

    /** Targets that boot the virtual CD when media is in a CD-type slot. */
    public Set<String> cdTargets() {
        return Set.of("Cd");
    }

    /**
     * The last path segment of the @Redfish.Settings resource under the System that takes boot override
     * changes (applied at the next reset), or null when the System itself takes them.
     */
    public String settingsSegment() {
        return null;
    }

    public final boolean bootViaSettings() {
        return settingsSegment() != null;
    }

    /** The System lists BootSourceOverrideTarget@Redfish.AllowableValues (iDRAC 10 lists them only in Settings). */
    public boolean systemListsBootTargets() {
        return true;
    }

    /** A PATCH of this resource without If-Match answers 428 PreconditionRequired. */
    public boolean requiresIfMatch(EtagKind kind) {
        return false;
    }

    public List<String> resetTypes() {
        return RESET_TYPES;
    }

    /** GETs that answer "not ready" after each accepted reset action. */
    public int notReadyAfterPowerChange() {
        return 0;
    }

    // ---- ETags --------------------------------------------------------------------------------------

    /** The ETag header for a resource whose content hashes to {@code hash}; null sends none. */
    public String etag(EtagKind kind, String hash) {
        return "\"" + hash + "\"";
    }

    /**
     * Whether an If-Match header lets a PATCH through. RFC 9110 strong comparison: {@code *} or an exact
     * strong tag; a weak tag never matches. No header at all is allowed (Redfish makes If-Match optional).
     */
    public boolean ifMatch(EtagKind kind, String header, String hash) {
        if (header == null || header.isBlank()) {
            return true;
        }
        for (String tag : header.split(",")) {
            String t = tag.trim();
            if (t.equals("*") || t.equals("\"" + hash + "\"")) {
                return true;
            }
        }
        return false;
    }

    // ---- OEM decorations ----------------------------------------------------------------------------

    public void decorateRoot(ObjectNode root) {
    }

    /** Vendor OEM sections of the ComputerSystem; the timeline lets iLO report PostState. */
    public void decorateSystem(ObjectNode system, PowerTimeline timeline) {
    }

    public void decorateManager(ObjectNode manager) {
    }

    // ---- checks (throw RedfishError to refuse) ------------------------------------------------------

    /** Runs on every request before routing and authentication. */
    public void beforeRequest(Incoming request, Messages m) {
    }

    public RedfishError notReady(Messages m) {
        return m.serviceTemporarilyUnavailable(2);
    }

    public void checkReset(String resetType, PowerTimeline timeline, Messages m) {
    }

    /** A PATCH of ComputerSystem.Boot, before its values are validated. */
    public void checkBootPatch(ObjectNode boot, PowerTimeline timeline, Messages m) {
    }

    /** A PATCH of the Settings resource's Boot, before its values are validated. */
    public void checkSettingsPatch(ObjectNode boot, Messages m) {
    }

    /** The override a valid Boot PATCH leaves behind; a vendor may "forget" what was not sent. */
    public dev.shoal.bmcsim.bmc.BootOverride afterBootPatch(ObjectNode boot, dev.shoal.bmcsim.bmc.BootOverride next) {
        return next;
    }

    /** Answer this request gzip-compressed (iLO does when the client sends no Accept-Encoding). */
    public boolean gzip(Incoming request) {
        return false;
    }

    /** InsertMedia parameters: the DMTF checks, then the BMC's configured requirements (the field ladder). */
    public void checkInsert(InsertCall call, Messages m) {
        String action = call.actionUri();
        for (Iterator<String> it = call.body().fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!INSERT_PARAMETERS.contains(f)) {
                throw call.viaPatch() ? m.propertyUnknown(f) : m.actionParameterUnknown(action, f);
            }
        }
        JsonNode image = call.body().get("Image");
        if (image == null || image.isNull()) {
            throw m.actionParameterMissing(action, "Image");
        }
        if (!image.isTextual() || image.asText().isBlank()) {
            throw m.actionParameterValueTypeError(image.toString(), "Image", action);
        }
        for (String flag : List.of("Inserted", "WriteProtected")) {
            JsonNode v = call.body().get(flag);
            if (v != null && !v.isBoolean()) {
                throw m.actionParameterValueTypeError(v.toString(), flag, action);
            }
        }
        checkEnum(call, "TransferProtocolType", TRANSFER_PROTOCOLS, m);
        checkEnum(call, "TransferMethod", TRANSFER_METHODS, m);
        for (String s : List.of("UserName", "Password")) {
            JsonNode v = call.body().get(s);
            if (v != null && !v.isTextual()) {
                throw m.actionParameterValueTypeError(v.toString(), s, action);
            }
        }
        if (!call.viaPatch()) {
            checkRequirements(call, m);
        }
    }

    static void checkEnum(InsertCall call, String field, List<String> allowed, Messages m) {
        JsonNode v = call.body().get(field);
        if (v != null && !v.isNull() && !(v.isTextual() && allowed.contains(v.asText()))) {
            throw m.actionParameterValueNotInList(v.isTextual() ? v.asText() : v.toString(), field, call.actionUri(), allowed);
        }
    }

    /** The ladder, in the order clients climb it: flags, protocol, method, credentials. */
    protected void checkRequirements(InsertCall call, Messages m) {
        InsertRequirements r = call.requirements();
        if (r.insertedFlags()) {
            for (String flag : List.of("Inserted", "WriteProtected")) {
                if (!call.has(flag)) {
                    throw m.actionParameterMissing(call.actionUri(), flag);
                }
            }
        }
        if (r.transferProtocolType() != InsertRequirements.ProtocolError.NONE && !call.has("TransferProtocolType")) {
            throw Fixtures.error(r.transferProtocolType().fixture(), call.actionUri());
        }
        if (r.transferMethod() && !call.has("TransferMethod")) {
            throw Fixtures.error("transfer_method_required_error.json", call.actionUri());
        }
        if (r.credentials() && (!call.has("UserName") || !call.has("Password"))) {
            throw Fixtures.error("credentials_required_error.json", call.actionUri());
        }
    }

    /** EjectMedia; {@code bodyPresent} is false when the POST carried no body at all. */
    public void checkEject(String actionUri, boolean bodyPresent, Messages m) {
    }

    /** The image could not be read: the answer names the URL and the reason. */
    public RedfishError insertFailed(InsertCall call, String detail, Messages m) {
        return m.couldNotEstablishConnection(400, call.image(), detail);
    }

    public RedfishError alreadyInserted(InsertCall call, String current, Messages m) {
        return m.resourceInUse("Virtual media " + call.slot().id() + " already holds " + current + "; eject it first.");
    }

    public RedfishError ejectInProgress(InsertCall call, Messages m) {
        return m.resourceInUse("Virtual media " + call.slot().id() + " is still being ejected; retry shortly.");
    }

    /** EjectMedia on an empty slot: DMTF services accept it (idempotent); some vendors refuse. */
    public Optional<RedfishError> ejectWhenEmpty(String slotId, Messages m) {
        return Optional.empty();
    }

    /** How a successful action (Reset, InsertMedia, EjectMedia) is answered. */
    public HttpReply actionSuccess() {
        return HttpReply.empty(204);
    }

    /** How a successful PATCH is answered. */
    public HttpReply patchSuccess() {
        return HttpReply.empty(204);
    }
}

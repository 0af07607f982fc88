package dev.shoal.bmcsim.bmc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.http.Json;
import dev.shoal.bmcsim.personality.Vendor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Builds the Redfish resources of one BMC from its model, shaped like the real bodies in sushy's samples
 * (service root, ComputerSystem, Manager, VirtualMedia v1.6, SessionService). Callers hold the model's
 * monitor. Resource paths come from the vendor's ids, so each personality has its own tree.
 */
final class Renderer {
    static final String ROOT = "/redfish/v1/";
    static final String SYSTEMS = "/redfish/v1/Systems";
    static final String MANAGERS = "/redfish/v1/Managers";
    static final String CHASSIS = "/redfish/v1/Chassis";
    static final String SESSION_SERVICE = "/redfish/v1/SessionService";
    static final String SESSIONS = "/redfish/v1/SessionService/Sessions";

    private final BmcModel model;
    private final Vendor vendor;

    Renderer(BmcModel model) {
        this.model = model;
        this.vendor = model.vendor;
    }

    String systemPath() {
        return SYSTEMS + "/" + vendor.systemId();
    }

    String managerPath() {
        return MANAGERS + "/" + vendor.managerId();
    }

    String chassisPath() {
        return CHASSIS + "/" + vendor.chassisId();
    }

    /** The @Redfish.Settings resource of the System, or null when the vendor has none. */
    String settingsPath() {
        return vendor.settingsSegment() == null ? null : systemPath() + "/" + vendor.settingsSegment();
    }

    String uuid(String what) {
        return UUID.nameUUIDFromBytes(("shoal-bmc-sim:" + model.name() + ":" + what).getBytes(StandardCharsets.UTF_8)).toString();
    }

    String serial() {
        return "SIM" + Integer.toHexString(model.name().hashCode() & 0xfffffff).toUpperCase(java.util.Locale.ROOT);
    }

    ObjectNode versions() {
        return Json.object().put("v1", ROOT);
    }

    ObjectNode root() {
        ObjectNode r = Json.object();
        r.put("@odata.type", "#ServiceRoot.v1_15_0.ServiceRoot");
        r.put("@odata.id", ROOT);
        r.put("Id", "RootService");
        r.put("Name", "Root Service");
        r.put("RedfishVersion", vendor.redfishVersion());
        r.put("UUID", uuid("service"));
        r.put("Vendor", vendor.vendorName());
        r.put("Product", vendor.product());
        r.set("ProtocolFeaturesSupported", Json.object().put("ExcerptQuery", false).put("ExpandQuery", false)
                .put("FilterQuery", false).put("OnlyMemberQuery", false).put("SelectQuery", false));
        r.set("Systems", Json.link(SYSTEMS));
        r.set("Chassis", Json.link(CHASSIS));
        r.set("Managers", Json.link(MANAGERS));
        r.set("SessionService", Json.link(SESSION_SERVICE));
        r.set("Links", Json.object().set("Sessions", Json.link(SESSIONS)));
        vendor.decorateRoot(r);
        return r;
    }

    ObjectNode odata() {
        ArrayNode v = Json.array();
        v.add(Json.object().put("name", "Service").put("kind", "Singleton").put("url", ROOT));
        for (String s : List.of("Systems", "Chassis", "Managers", "SessionService")) {
            v.add(Json.object().put("name", s).put("kind", "Singleton").put("url", "/redfish/v1/" + s));
        }
        ObjectNode o = Json.object().put("@odata.context", "/redfish/v1/$metadata");
        o.set("value", v);
        return o;
    }

    ObjectNode collection(String type, String path, String name, List<String> members) {
        ObjectNode c = Json.object();
        c.put("@odata.type", type);
        c.put("@odata.id", path);
        c.put("Name", name);
        c.put("Members@odata.count", members.size());
        ArrayNode m = Json.array();
        members.forEach(p -> m.add(Json.link(p)));
        c.set("Members", m);
        return c;
    }

    ObjectNode systems() {
        return collection("#ComputerSystemCollection.ComputerSystemCollection", SYSTEMS, "Computer System Collection", List.of(systemPath()));
    }

    ObjectNode managers() {
        return collection("#ManagerCollection.ManagerCollection", MANAGERS, "Manager Collection", List.of(managerPath()));
    }

    ObjectNode chassisCollection() {
        return collection("#ChassisCollection.ChassisCollection", CHASSIS, "Chassis Collection", List.of(chassisPath()));
    }

    ObjectNode system() {
        PowerTimeline t = model.timeline();
        BootOverride b = model.boot();
        ObjectNode s = Json.object();
        s.put("@odata.type", vendor.systemType());
        s.put("@odata.id", systemPath());
        s.put("Id", vendor.systemId());
        s.put("Name", "System");
        s.put("SystemType", "Physical");
        s.put("Manufacturer", vendor.manufacturer());
        s.put("Model", vendor.model());
        s.put("SerialNumber", serial());
        s.put("AssetTag", model.assetTag());
        s.put("UUID", uuid("system"));
        s.put("HostName", model.name());
        s.put("BiosVersion", "2.19.1");
        s.set("Status", Json.object().put("State", "Enabled").put("Health", "OK"));
        s.put("PowerState", t.power().redfish());
        ObjectNode boot = Json.object();
        boot.put("BootSourceOverrideEnabled", b.enabled());
        boot.set("BootSourceOverrideEnabled@Redfish.AllowableValues", Json.strings(Vendor.OVERRIDE_ENABLED));
        boot.put("BootSourceOverrideTarget", b.target());
        if (vendor.systemListsBootTargets()) {
            boot.set("BootSourceOverrideTarget@Redfish.AllowableValues", Json.strings(vendor.bootTargets()));
        }
        boot.put("BootSourceOverrideMode", b.mode());
        boot.set("BootSourceOverrideMode@Redfish.AllowableValues", Json.strings(vendor.bootModes()));
        if (vendor.bootViaSettings()) {
            boot.set("@Redfish.Settings", settingsAnnotation());
            s.set("@Redfish.Settings", settingsAnnotation());
        }
        s.set("Boot", boot);
        s.set("ProcessorSummary", Json.object().put("Count", 2).put("Model", "Simulated Xeon")
                .set("Status", Json.object().put("State", "Enabled").put("Health", "OK")));
        s.set("MemorySummary", Json.object().put("TotalSystemMemoryGiB", 64)
                .set("Status", Json.object().put("State", "Enabled").put("Health", "OK")));
        if (vendor.mediaUnderSystem()) {
            s.set("VirtualMedia", Json.link(systemPath() + "/VirtualMedia"));
        }
        ObjectNode links = Json.object();
        links.set("Chassis", Json.array().add(Json.link(chassisPath())));
        links.set("ManagedBy", Json.array().add(Json.link(managerPath())));
        s.set("Links", links);
        ObjectNode reset = Json.object();
        reset.put("target", systemPath() + "/Actions/ComputerSystem.Reset");
        reset.set("ResetType@Redfish.AllowableValues", Json.strings(vendor.resetTypes()));
        s.set("Actions", Json.object().set("#ComputerSystem.Reset", reset));
        vendor.decorateSystem(s, t);
        return s;
    }

    private ObjectNode settingsAnnotation() {
        ObjectNode a = Json.object();
        a.put("@odata.type", "#Settings.v1_3_5.Settings");
        a.set("SettingsObject", Json.link(settingsPath()));
        a.set("SupportedApplyTimes", Json.strings(List.of("OnReset")));
        a.set("Messages", Json.array());
        return a;
    }

    /** The @Redfish.Settings resource: pending values where set, the current ones otherwise. */
    ObjectNode settings() {
        BootOverride b = model.boot();
        var pending = model.pending();
        ObjectNode s = Json.object();
        s.put("@odata.type", vendor.systemType());
        s.put("@odata.id", settingsPath());
        s.put("Id", vendor.systemId());
        s.put("Name", "System Settings");
        s.set("@Redfish.SettingsApplyTime", Json.object().put("@odata.type", "#Settings.v1_3_5.PreferredApplyTime").put("ApplyTime", "OnReset"));
        ObjectNode boot = Json.object();
        boot.put("BootSourceOverrideEnabled", pending.getOrDefault("BootSourceOverrideEnabled", b.enabled()));
        boot.set("BootSourceOverrideEnabled@Redfish.AllowableValues", Json.strings(Vendor.OVERRIDE_ENABLED));
        boot.put("BootSourceOverrideTarget", pending.getOrDefault("BootSourceOverrideTarget", b.target()));
        boot.set("BootSourceOverrideTarget@Redfish.AllowableValues", Json.strings(vendor.bootTargets()));
        boot.put("BootSourceOverrideMode", pending.getOrDefault("BootSourceOverrideMode", b.mode()));
        boot.set("BootSourceOverrideMode@Redfish.AllowableValues", Json.strings(vendor.bootModes()));
        s.set("Boot", boot);
        return s;
    }

    ObjectNode manager() {
        ObjectNode m = Json.object();
        m.put("@odata.type", vendor.managerType());
        m.put("@odata.id", managerPath());
        m.put("Id", vendor.managerId());
        m.put("Name", "Manager");
        m.put("ManagerType", "BMC");
        m.put("Description", vendor.product());
        // A string, never null: DMTF's protocol validator fails on a null ServiceEntryPointUUID.
        m.put("ServiceEntryPointUUID", uuid("service"));
        m.put("UUID", uuid("manager"));
        m.put("Model", vendor.managerModel());
        m.put("FirmwareVersion", vendor.firmwareVersion());
        m.put("DateTime", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        m.put("DateTimeLocalOffset", "+00:00");
        m.put("PowerState", "On");
        m.set("Status", Json.object().put("State", "Enabled").put("Health", "OK"));
        if (vendor.mediaUnderManager()) {
            m.set("VirtualMedia", Json.link(managerPath() + "/VirtualMedia"));
        }
        ObjectNode links = Json.object();
        links.set("ManagerForServers", Json.array().add(Json.link(systemPath())));
        links.set("ManagerForChassis", Json.array().add(Json.link(chassisPath())));
        links.set("ManagerInChassis", Json.link(chassisPath()));
        m.set("Links", links);
        ObjectNode reset = Json.object();
        reset.put("target", managerPath() + "/Actions/Manager.Reset");
        reset.set("ResetType@Redfish.AllowableValues", Json.strings(List.of("ForceRestart", "GracefulRestart")));
        m.set("Actions", Json.object().set("#Manager.Reset", reset));
        vendor.decorateManager(m);
        return m;
    }

    ObjectNode chassis() {
        ObjectNode c = Json.object();
        c.put("@odata.type", "#Chassis.v1_14_0.Chassis");
        c.put("@odata.id", chassisPath());
        c.put("Id", vendor.chassisId());
        c.put("Name", "Chassis");
        c.put("ChassisType", "RackMount");
        c.put("Manufacturer", vendor.manufacturer());
        c.put("Model", vendor.model());
        c.put("SerialNumber", serial());
        c.put("PowerState", model.timeline().power().redfish());
        c.set("Status", Json.object().put("State", "Enabled").put("Health", "OK"));
        ObjectNode links = Json.object();
        links.set("ComputerSystems", Json.array().add(Json.link(systemPath())));
        links.set("ManagedBy", Json.array().add(Json.link(managerPath())));
        c.set("Links", links);
        return c;
    }

    ObjectNode sessionService() {
        ObjectNode s = Json.object();
        s.put("@odata.type", "#SessionService.v1_1_8.SessionService");
        s.put("@odata.id", SESSION_SERVICE);
        s.put("Id", "SessionService");
        s.put("Name", "Session Service");
        s.put("Description", "Session Service");
        s.set("Status", Json.object().put("State", "Enabled").put("Health", "OK"));
        s.put("ServiceEnabled", true);
        s.put("SessionTimeout", 1800);
        s.set("Sessions", Json.link(SESSIONS));
        return s;
    }

    ObjectNode sessions() {
        return collection("#SessionCollection.SessionCollection", SESSIONS, "Session Collection",
                model.sessions.all().stream().map(s -> SESSIONS + "/" + s.id()).toList());
    }

    ObjectNode session(Sessions.Session session) {
        ObjectNode s = Json.object();
        s.put("@odata.type", "#Session.v1_5_0.Session");
        s.put("@odata.id", SESSIONS + "/" + session.id());
        s.put("Id", session.id());
        s.put("Name", "User Session");
        s.put("Description", "Manager User Session");
        s.put("UserName", session.user());
        return s;
    }

    ObjectNode virtualMediaCollection(String parent) {
        return collection("#VirtualMediaCollection.VirtualMediaCollection", parent + "/VirtualMedia", "Virtual Media Services",
                model.slots.keySet().stream().map(id -> parent + "/VirtualMedia/" + id).toList());
    }

    ObjectNode virtualMedia(String parent, Slot slot) {
        long now = System.nanoTime();
        String path = parent + "/VirtualMedia/" + slot.spec.id();
        boolean inserted = slot.reportedInserted(now);
        ObjectNode v = Json.object();
        v.put("@odata.type", vendor.virtualMediaType());
        v.put("@odata.id", path);
        v.put("Id", slot.spec.id());
        v.put("Name", slot.spec.name());
        v.set("MediaTypes", Json.strings(slot.spec.mediaTypes()));
        String shown = slot.image == null && vendor.keepsImageAfterEject() ? slot.lastImage : slot.image;
        v.put("Image", shown);
        v.put("ImageName", shown == null ? null : imageName(shown));
        v.put("Inserted", inserted);
        v.put("WriteProtected", slot.writeProtected);
        v.put("ConnectedVia", inserted ? "URI" : "NotConnected"); // Supermicro's stale Image still reads NotConnected
        v.put("TransferProtocolType", slot.transferProtocolType);
        v.put("TransferMethod", slot.transferMethod);
        v.put("UserName", slot.userName);
        v.put("VerifyCertificate", false);
        if (vendor.mediaActions()) {
            ObjectNode insert = Json.object().put("target", path + "/Actions/VirtualMedia.InsertMedia");
            insert.set("TransferProtocolType@Redfish.AllowableValues", Json.strings(List.of("HTTP", "HTTPS")));
            ObjectNode actions = Json.object();
            actions.set("#VirtualMedia.EjectMedia", Json.object().put("target", path + "/Actions/VirtualMedia.EjectMedia"));
            actions.set("#VirtualMedia.InsertMedia", insert);
            v.set("Actions", actions);
        }
        return v;
    }

    static String imageName(String url) {
        String p = url;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        int slash = p.lastIndexOf('/');
        return slash >= 0 ? p.substring(slash + 1) : p;
    }

    /** A content hash: the ETag changes exactly when what a GET returns changes. */
    static String hash(ObjectNode body) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Json.bytes(body));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

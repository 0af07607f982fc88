package dev.shoal.bmcsim.bmc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.http.HttpReply;
import dev.shoal.bmcsim.http.Json;
import dev.shoal.bmcsim.media.ImageProbe;
import dev.shoal.bmcsim.media.ProbeException;
import dev.shoal.bmcsim.media.ProbeResult;
import dev.shoal.bmcsim.personality.InsertCall;
import dev.shoal.bmcsim.personality.Vendor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Redfish service of one BMC: faults first, then the vendor's pre-checks, authentication, routing
 * and the resource handlers. Jetty-free (it takes an {@link Incoming} and returns an {@link Outcome}),
 * so the same code answers every personality and the vendor decides only where vendors differ.
 */
public final class RedfishService {
    private static final Logger LOG = LoggerFactory.getLogger(RedfishService.class);
    private static final Set<String> IGNORED_BOOT_PROPERTIES = Set.of("BootOrder", "BootNext", "UefiTargetBootSourceOverride",
            "HttpBootUri", "AutomaticRetryConfig", "AutomaticRetryAttempts");
    private static final int LOGGED_BODY_LIMIT = 4096;

    /** The answer, or {@code drop}: close the connection without one (a fault). */
    public record Outcome(HttpReply reply, boolean drop) {
    }

    private final BmcModel model;
    private final Vendor vendor;
    private final Messages m;
    private final Renderer render;
    private final ImageProbe probe;

    public RedfishService(BmcModel model, ImageProbe probe) {
        this.model = model;
        this.vendor = model.vendor;
        this.m = model.messages;
        this.render = new Renderer(model);
        this.probe = probe;
    }

    public Outcome handle(Incoming in) {
        Duration latency = model.faults().latency();
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (model.takeDrop()) {
            record(in, 0);
            return new Outcome(null, true);
        }
        HttpReply reply;
        try {
            int injected = model.takeError(in.path());
            if (injected != 0) {
                throw injected == 503 ? m.serviceTemporarilyUnavailable(1)
                        : injected == 500 ? m.internalError() : m.generalError(injected, "Injected failure (HTTP " + injected + ").");
            }
            if (model.faults().rejectIdentityEncoding() && "identity".equalsIgnoreCase(String.valueOf(in.header("Accept-Encoding")).trim())) {
                throw m.generalError(406, "Not Acceptable: this BMC does not answer requests that allow only 'Accept-Encoding: identity'.");
            }
            vendor.beforeRequest(in, m);
            reply = route(in);
        } catch (RedfishError e) {
            reply = e.reply();
        } catch (RuntimeException e) {
            LOG.error("{}: {} {} failed", model.name(), in.method(), in.path(), e);
            reply = m.internalError().reply();
        }
        reply = reply.withHeader("OData-Version", "4.0").withHeader("Cache-Control", "no-cache");
        if (reply.body() != null && vendor.gzip(in)) {
            reply = reply.gzipped();
        }
        record(in, reply.status());
        return new Outcome(reply, false);
    }

    // ---- routing -----------------------------------------------------------------------------------

    private HttpReply route(Incoming in) {
        String path = normalise(in.path());
        String method = in.method();
        switch (path) {
            case "/redfish" -> {
                allow(in, path, "GET");
                return get(render.versions(), "GET");
            }
            case "/redfish/v1" -> {
                allow(in, path, "GET");
                return get(render.root(), "GET");
            }
            case "/redfish/v1/odata" -> {
                allow(in, path, "GET");
                return get(render.odata(), "GET");
            }
            default -> {
            }
        }
        boolean login = path.equals(Renderer.SESSIONS) && method.equals("POST");
        if (!login) {
            authenticate(in, path);
        }
        if (isGet(in) && notReadyPath(path) && model.takeNotReady()) {
            throw vendor.notReady(m);
        }
        String sys = render.systemPath();
        String mgr = render.managerPath();
        if (path.equals(Renderer.SYSTEMS)) {
            allow(in, path, "GET");
            return get(render.systems(), "GET");
        }
        if (path.equals(sys)) {
            allow(in, path, "GET", "PATCH");
            return isGet(in) ? getTagged(EtagKind.SYSTEM, this::systemBody, "GET, PATCH") : patchSystem(in);
        }
        if (path.equals(sys + "/Actions/ComputerSystem.Reset")) {
            allow(in, path, "POST");
            return reset(in, path);
        }
        if (vendor.bootViaSettings() && path.equals(render.settingsPath())) {
            allow(in, path, "GET", "PATCH");
            return isGet(in) ? getTagged(EtagKind.SETTINGS, this::settingsBody, "GET, PATCH") : patchSettings(in);
        }
        if (vendor.mediaUnderSystem() && path.startsWith(sys + "/VirtualMedia")) {
            return media(in, path, sys, path.substring((sys + "/VirtualMedia").length()));
        }
        if (path.equals(Renderer.MANAGERS)) {
            allow(in, path, "GET");
            return get(render.managers(), "GET");
        }
        if (path.equals(mgr)) {
            allow(in, path, "GET");
            return get(locked(render::manager), "GET");
        }
        if (path.equals(mgr + "/Actions/Manager.Reset")) {
            allow(in, path, "POST");
            model.managerReset();
            return vendor.actionSuccess();
        }
        if (vendor.mediaUnderManager() && path.startsWith(mgr + "/VirtualMedia")) {
            return media(in, path, mgr, path.substring((mgr + "/VirtualMedia").length()));
        }
        if (path.equals(Renderer.CHASSIS)) {
            allow(in, path, "GET");
            return get(render.chassisCollection(), "GET");
        }
        if (path.equals(render.chassisPath())) {
            allow(in, path, "GET");
            return get(locked(render::chassis), "GET");
        }
        if (path.equals(Renderer.SESSION_SERVICE)) {
            allow(in, path, "GET");
            return get(render.sessionService(), "GET");
        }
        if (path.equals(Renderer.SESSIONS)) {
            allow(in, path, "GET", "POST");
            return isGet(in) ? get(render.sessions(), "GET, POST") : login(in, path);
        }
        if (path.startsWith(Renderer.SESSIONS + "/")) {
            return session(in, path, path.substring(Renderer.SESSIONS.length() + 1));
        }
        throw m.resourceMissingAtUri(path);
    }

    private static String normalise(String path) {
        String p = path.replaceAll("/{2,}", "/");
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** iDRAC's "not ready" spares the service root and sessions, so clients can still log in and probe. */
    private static boolean notReadyPath(String path) {
        return path.startsWith(Renderer.SYSTEMS) || path.startsWith(Renderer.MANAGERS) || path.startsWith(Renderer.CHASSIS);
    }

    private static boolean isGet(Incoming in) {
        return in.method().equals("GET") || in.method().equals("HEAD");
    }

    private void allow(Incoming in, String path, String... methods) {
        List<String> allowed = Arrays.asList(methods);
        String method = in.method().equals("HEAD") ? "GET" : in.method();
        if (!allowed.contains(method)) {
            throw m.methodNotAllowed(in.method(), path, String.join(", ", allowed));
        }
    }

    private ObjectNode locked(java.util.function.Supplier<ObjectNode> body) {
        synchronized (model) {
            return body.get();
        }
    }

    private static HttpReply get(ObjectNode body, String allow) {
        return HttpReply.json(200, body).withHeader("Allow", allow);
    }

    private HttpReply getTagged(EtagKind kind, java.util.function.Supplier<ObjectNode> body, String allow) {
        ObjectNode b = locked(body);
        HttpReply r = get(b, allow);
        String etag = vendor.etag(kind, Renderer.hash(b));
        return etag == null ? r : r.withHeader("ETag", etag);
    }

    private void checkIfMatch(Incoming in, EtagKind kind, ObjectNode current) {
        String header = in.header("If-Match");
        if ((header == null || header.isBlank()) && vendor.requiresIfMatch(kind)) {
            throw Messages.error(428, m.id("PreconditionRequired"), "A precondition header or annotation is required to change this resource.",
                    java.util.List.of(), java.util.List.of(), "Critical", "Try the request again with an If-Match header and the resource's ETag.");
        }
        if (!vendor.ifMatch(kind, header, Renderer.hash(current))) {
            throw m.preconditionFailed();
        }
    }

    private ObjectNode systemBody() {
        return render.system();
    }

    private ObjectNode settingsBody() {
        return render.settings();
    }

    // ---- authentication and sessions ---------------------------------------------------------------

    private void authenticate(Incoming in, String path) {
        String token = in.header("X-Auth-Token");
        if (token != null && !token.isEmpty()) {
            if (model.sessions.byToken(token).isPresent()) {
                return;
            }
            throw m.noValidSession();
        }
        String auth = in.header("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw m.accessDenied(path);
            }
            int colon = decoded.indexOf(':');
            if (colon > 0 && model.spec.credentials().matches(decoded.substring(0, colon), decoded.substring(colon + 1))) {
                return;
            }
            throw m.accessDenied(path);
        }
        throw m.noValidSession();
    }

    private HttpReply login(Incoming in, String path) {
        ObjectNode body = jsonObject(in);
        for (String f : List.of("UserName", "Password")) {
            if (!body.path(f).isTextual()) {
                throw m.propertyMissing(f, null);
            }
        }
        if (!model.spec.credentials().matches(body.get("UserName").asText(), body.get("Password").asText())) {
            throw m.accessDenied(path);
        }
        int max = model.faults().maxSessions();
        if (max > 0 && model.sessions.count() >= max) {
            throw Messages.error(503, m.id("SessionLimitExceeded"), "The session establishment failed due to the number of simultaneous sessions exceeding the limit of the implementation.",
                    List.of(), List.of(), "Critical", "Reduce the number of other sessions before trying to establish the session or increase the limit of simultaneous sessions (if supported).");
        }
        Sessions.Session s = model.sessions.create(body.get("UserName").asText());
        return HttpReply.json(201, render.session(s))
                .withHeader("X-Auth-Token", s.token())
                .withHeader("Location", Renderer.SESSIONS + "/" + s.id());
    }

    private HttpReply session(Incoming in, String path, String id) {
        allow(in, path, "GET", "DELETE");
        Sessions.Session s = model.sessions.byId(id).orElseThrow(() -> m.resourceMissingAtUri(path));
        if (isGet(in)) {
            return get(render.session(s), "GET, DELETE");
        }
        model.sessions.delete(id);
        return HttpReply.empty(204);
    }

    // ---- ComputerSystem ----------------------------------------------------------------------------

    private HttpReply patchSystem(Incoming in) {
        ObjectNode body = jsonObject(in);
        synchronized (model) {
            ObjectNode current = render.system();
            checkIfMatch(in, EtagKind.SYSTEM, current);
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("Boot") && !f.equals("AssetTag")) {
                    throw current.has(f) ? m.propertyNotWritable(f, null) : m.propertyUnknown(f);
                }
            }
            BootOverride next = model.boot();
            if (body.has("Boot")) {
                if (!body.get("Boot").isObject()) {
                    throw m.propertyValueTypeError("Boot", body.get("Boot").toString());
                }
                ObjectNode boot = (ObjectNode) body.get("Boot");
                vendor.checkBootPatch(boot, model.timeline(), m);
                next = vendor.afterBootPatch(boot, validateBoot(boot, next));
            }
            String tag = model.assetTag();
            if (body.has("AssetTag")) {
                if (!body.get("AssetTag").isTextual()) {
                    throw m.propertyValueTypeError("AssetTag", body.get("AssetTag").toString());
                }
                tag = body.get("AssetTag").asText();
            }
            model.boot(next);
            model.assetTag(tag);
        }
        return vendor.patchSuccess();
    }

    private BootOverride validateBoot(ObjectNode boot, BootOverride base) {
        String enabled = base.enabled();
        String target = base.target();
        String mode = base.mode();
        for (Map.Entry<String, JsonNode> e : boot.properties()) {
            String p = e.getKey();
            if (IGNORED_BOOT_PROPERTIES.contains(p)) {
                continue;
            }
            List<String> allowed = switch (p) {
                case "BootSourceOverrideEnabled" -> Vendor.OVERRIDE_ENABLED;
                case "BootSourceOverrideTarget" -> vendor.bootTargets();
                case "BootSourceOverrideMode" -> vendor.bootModes();
                default -> throw m.propertyUnknown(p);
            };
            if (!e.getValue().isTextual()) {
                throw m.propertyValueTypeError(p, e.getValue().toString());
            }
            String v = e.getValue().asText();
            if (!allowed.contains(v)) {
                throw m.propertyValueNotInList(p, v, allowed);
            }
            switch (p) {
                case "BootSourceOverrideEnabled" -> enabled = v;
                case "BootSourceOverrideTarget" -> target = v;
                default -> mode = v;
            }
        }
        return new BootOverride(enabled, target, mode);
    }

    private HttpReply patchSettings(Incoming in) {
        ObjectNode body = jsonObject(in);
        synchronized (model) {
            checkIfMatch(in, EtagKind.SETTINGS, render.settings());
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!f.equals("Boot")) {
                    throw m.propertyUnknown(f);
                }
            }
            if (body.has("Boot")) {
                if (!body.get("Boot").isObject()) {
                    throw m.propertyValueTypeError("Boot", body.get("Boot").toString());
                }
                ObjectNode boot = (ObjectNode) body.get("Boot");
                vendor.checkSettingsPatch(boot, m);
                validateBoot(boot, model.boot());
                for (String p : List.of("BootSourceOverrideEnabled", "BootSourceOverrideTarget", "BootSourceOverrideMode")) {
                    if (boot.has(p)) {
                        model.putPending(p, boot.get(p).asText());
                    }
                }
            }
        }
        return vendor.patchSuccess();
    }

    private HttpReply reset(Incoming in, String action) {
        ObjectNode body = jsonObject(in);
        JsonNode type = body.get("ResetType");
        if (type == null || type.isNull()) {
            throw m.actionParameterMissing(action, "ResetType");
        }
        if (!type.isTextual() || !vendor.resetTypes().contains(type.asText())) {
            throw m.actionParameterValueNotInList(type.isTextual() ? type.asText() : type.toString(), "ResetType", action, vendor.resetTypes());
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("ResetType")) {
                throw m.actionParameterUnknown(action, f);
            }
        }
        synchronized (model) {
            vendor.checkReset(type.asText(), model.timeline(), m);
            model.reset(type.asText());
        }
        return vendor.actionSuccess();
    }

    // ---- VirtualMedia ------------------------------------------------------------------------------

    private HttpReply media(Incoming in, String path, String parent, String rest) {
        if (rest.isEmpty()) {
            allow(in, path, "GET");
            return get(locked(() -> render.virtualMediaCollection(parent)), "GET");
        }
        String[] parts = rest.substring(1).split("/");
        Slot slot = model.slot(parts[0]);
        if (slot == null) {
            throw m.resourceMissingAtUri(path);
        }
        if (parts.length == 1) {
            String allowed = vendor.mediaPatch() ? "GET, PATCH" : "GET";
            allow(in, path, allowed.split(", "));
            return isGet(in) ? getTagged(EtagKind.VIRTUAL_MEDIA, () -> render.virtualMedia(parent, slot), allowed)
                    : patchMedia(in, path, parent, slot);
        }
        if (parts.length == 3 && parts[1].equals("Actions") && vendor.mediaActions()) {
            if (parts[2].equals("VirtualMedia.InsertMedia")) {
                allow(in, path, "POST");
                ObjectNode body = in.body().length == 0 ? Json.object() : jsonObject(in);
                InsertCall call = new InsertCall(slot.spec, path, body, model.spec.insertRequirements(), false);
                return insert(call, slot, bool(body, "Inserted", true), bool(body, "WriteProtected", true), vendor.actionSuccess());
            }
            if (parts[2].equals("VirtualMedia.EjectMedia")) {
                allow(in, path, "POST");
                return eject(in, path, slot);
            }
        }
        throw m.resourceMissingAtUri(path);
    }

    private static boolean bool(ObjectNode body, String field, boolean dflt) {
        JsonNode v = body.get(field);
        return v != null && v.isBoolean() ? v.asBoolean() : dflt;
    }

    private HttpReply insert(InsertCall call, Slot slot, boolean inserted, boolean writeProtected, HttpReply success) {
        String image;
        synchronized (model) {
            vendor.checkInsert(call, m);
            image = call.image();
            long now = System.nanoTime();
            if (slot.ejecting(now)) {
                throw vendor.ejectInProgress(call, m);
            }
            if (slot.busy) {
                throw m.resourceInUse("Virtual media " + slot.spec.id() + " is already reading an image.");
            }
            if (slot.inserted) {
                throw vendor.alreadyInserted(call, slot.image, m);
            }
            slot.busy = true;
        }
        ProbeResult read = null;
        try {
            if (inserted) {
                read = probe.probe(image); // as a BMC does: connect and read a few ranges before saying yes
            }
        } catch (ProbeException e) {
            synchronized (model) {
                slot.busy = false;
            }
            throw vendor.insertFailed(call, e.getMessage(), m);
        }
        synchronized (model) {
            slot.busy = false;
            slot.image = image;
            slot.inserted = inserted;
            slot.writeProtected = writeProtected;
            slot.transferProtocolType = text(call.body(), "TransferProtocolType");
            slot.transferMethod = text(call.body(), "TransferMethod");
            slot.userName = text(call.body(), "UserName");
            slot.ranges = read == null ? List.of() : read.ranges();
            slot.ejectingUntil = 0;
            slot.staleUntil = 0;
        }
        return success;
    }

    private static String text(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    private HttpReply eject(Incoming in, String action, Slot slot) {
        boolean bodyPresent = in.body().length > 0;
        if (bodyPresent) {
            ObjectNode body = jsonObject(in);
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                throw m.actionParameterUnknown(action, it.next());
            }
        }
        synchronized (model) {
            vendor.checkEject(action, bodyPresent, m);
            doEject(slot);
        }
        return vendor.actionSuccess();
    }

    /** Caller holds the model's monitor. */
    private void doEject(Slot slot) {
        if (slot.busy) {
            throw m.resourceInUse("Virtual media " + slot.spec.id() + " is reading an image; eject it when the insert has finished.");
        }
        if (!slot.inserted && slot.image == null) {
            vendor.ejectWhenEmpty(slot.spec.id(), m).ifPresent(e -> {
                throw e;
            });
            return;
        }
        long now = System.nanoTime();
        long ejecting = vendor.ejectDuration().isZero() ? 0 : now + vendor.ejectDuration().toNanos();
        long stale = model.staleInsertedNanos() == 0 ? 0 : now + model.staleInsertedNanos();
        slot.eject(ejecting, stale);
    }

    private HttpReply patchMedia(Incoming in, String path, String parent, Slot slot) {
        ObjectNode body = jsonObject(in);
        InsertCall call = new InsertCall(slot.spec, path, body, model.spec.insertRequirements(), true);
        JsonNode image = body.get("Image");
        boolean ejecting = (body.has("Image") && image.isNull()) || (body.has("Inserted") && !bool(body, "Inserted", true));
        synchronized (model) {
            checkIfMatch(in, EtagKind.VIRTUAL_MEDIA, render.virtualMedia(parent, slot));
            for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("Image", "Inserted", "WriteProtected", "TransferProtocolType", "TransferMethod", "UserName", "Password").contains(f)) {
                    throw m.propertyUnknown(f);
                }
            }
            if (ejecting) {
                doEject(slot);
                return vendor.patchSuccess();
            }
            if (image == null) {
                if (body.has("WriteProtected")) {
                    slot.writeProtected = bool(body, "WriteProtected", slot.writeProtected);
                }
                return vendor.patchSuccess();
            }
        }
        boolean inserted = body.has("Inserted") ? bool(body, "Inserted", true) : vendor.patchInsertsWithoutInsertedFlag();
        return insert(call, slot, inserted, bool(body, "WriteProtected", true), vendor.patchSuccess());
    }

    // ---- bodies and the request log ----------------------------------------------------------------

    private ObjectNode jsonObject(Incoming in) {
        JsonNode n = Json.tryParse(in.body()).orElseThrow(m::malformedJson);
        if (!n.isObject()) {
            throw m.malformedJson();
        }
        return (ObjectNode) n;
    }

    private void record(Incoming in, int status) {
        String body = null;
        if ((in.method().equals("POST") || in.method().equals("PATCH")) && in.body().length > 0) {
            body = Json.tryParse(in.body()).map(n -> Json.string(mask(n.deepCopy())))
                    .orElseGet(() -> new String(in.body(), StandardCharsets.UTF_8));
            if (body.length() > LOGGED_BODY_LIMIT) {
                body = body.substring(0, LOGGED_BODY_LIMIT) + "...";
            }
        }
        model.record(new RequestRecord(Instant.now(), in.method(), in.path(), status, body, client(in)));
    }

    private String client(Incoming in) {
        String token = in.header("X-Auth-Token");
        if (token != null) {
            return model.sessions.byToken(token).map(s -> "session:" + s.id()).orElse("session:unknown");
        }
        String auth = in.header("Authorization");
        return auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6) ? "basic" : "";
    }

    /** Passwords never reach the request log (it is served by the admin endpoint and printed by tests). */
    private static JsonNode mask(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (String key : o.properties().stream().map(Map.Entry::getKey).toList()) {
                JsonNode v = o.get(key);
                if (key.equalsIgnoreCase("Password") && v.isTextual()) {
                    o.put(key, "******");
                } else {
                    mask(v);
                }
            }
        }
        return n;
    }
}

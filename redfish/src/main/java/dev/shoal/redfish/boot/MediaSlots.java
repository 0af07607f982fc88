package dev.shoal.redfish.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.redfish.discovery.VirtualMediaSlot;
import dev.shoal.redfish.quirks.QuirkProfile;
import dev.shoal.redfish.transport.RedfishError;
import dev.shoal.redfish.transport.RedfishException;
import dev.shoal.redfish.transport.RedfishTransport;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Inserting and ejecting virtual media. InsertMedia bodies climb the ladder sushy and bmclib use, because
 * BMCs disagree on which parameters are required and which are unknown: Image alone, then with
 * Inserted/WriteProtected, then TransferProtocolType, then TransferMethod Stream, then empty credentials.
 * Slots without actions take the same fields by PATCH. Every insert is read back.
 */
public final class MediaSlots {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RedfishTransport t;
    private final QuirkProfile profile;
    private final BootEvents events;

    public MediaSlots(RedfishTransport t, QuirkProfile profile, BootEvents events) {
        this.t = t;
        this.profile = profile;
        this.events = events;
    }

    /** Ejects whatever the slot holds, without trusting {@code Inserted} (iDRAC reports stale values). */
    public void eject(VirtualMediaSlot slot) {
        // Look first, as Ironic does: ejecting an empty slot is an error on several BMCs, and iLO words it as a
        // "wait and retry" state error, which would cost a whole retry ladder per empty slot.
        JsonNode before = t.get(slot.path()).body();
        if (!before.path("Inserted").asBoolean(false) && before.path("Image").asText("").isBlank()) {
            events.step("eject", "virtual media slot " + slot.id() + " is already empty", Map.of("slot", slot.id()));
            return;
        }
        String outcome = "ejected virtual media slot " + slot.id();
        try {
            if (slot.ejectTarget().isPresent()) {
                // iLO needs a JSON body on this action; an empty object is valid for every BMC
                t.post(slot.ejectTarget().get(), JSON.createObjectNode());
            } else if (slot.patchable()) {
                ObjectNode body = JSON.createObjectNode().putNull("Image").put("Inserted", false);
                t.patch(slot.path(), body, t.get(slot.path()).etag());
            } else {
                throw new RedfishException("virtual media slot " + slot.id() + " has neither an EjectMedia action nor PATCH");
            }
        } catch (RedfishException e) {
            // Ejecting an empty slot is an error on some BMCs; only a slot still holding an image is a failure.
            JsonNode now = t.get(slot.path()).body();
            String image = now.path("Image").asText("");
            if (!image.isBlank() && !now.path("ConnectedVia").asText("").equals("NotConnected")) {
                throw new RedfishException("ejecting virtual media slot " + slot.id() + " (still holds " + image + ")", e);
            }
            outcome = "virtual media slot " + slot.id() + " is empty (the BMC refused to eject nothing)";
        }
        events.step("eject", outcome, Map.of("slot", slot.id()));
    }

    /** Inserts and reads back; a refusal that says the slot cannot take media (400/405) is {@link SlotRefused}. */
    public void insert(VirtualMediaSlot slot, URI image) {
        checkUrl(image);
        List<ObjectNode> ladder = ladder(image);
        RedfishException last = null;
        int rung = 0;
        for (ObjectNode body : ladder) {
            rung++;
            try {
                if (slot.insertTarget().isPresent()) {
                    t.post(slot.insertTarget().get(), body);
                } else if (slot.patchable()) {
                    if (!body.has("Inserted")) {
                        continue; // a PATCH without Inserted changes nothing on BMCs that insert by PATCH
                    }
                    t.patch(slot.path(), body, t.get(slot.path()).etag());
                } else {
                    throw new SlotRefused(slot, "has neither an InsertMedia action nor PATCH");
                }
                verify(slot, image);
                events.step("insert", "inserted " + image + " into virtual media slot " + slot.id()
                        + (rung > 1 ? " (request form " + rung + " of " + ladder.size() + ")" : ""),
                        Map.of("slot", slot.id(), "image", image.toString()));
                return;
            } catch (RedfishException e) {
                RedfishError err = e.bmcError().orElse(null);
                if (err == null || (err.status() != 400 && err.status() != 422)) {
                    if (err != null && (err.status() == 405 || err.status() == 403)) {
                        throw new SlotRefused(slot, "refuses media: " + err, Optional.of(err));
                    }
                    throw e;
                }
                last = e;
            }
        }
        // Every request form was refused (or none applied): this slot will not take it; the caller may try another.
        throw new SlotRefused(slot, last != null ? "refused every InsertMedia form; last: " + last.getMessage()
                : "offers no way to insert media", last == null ? Optional.empty() : last.bmcError());
    }

    private List<ObjectNode> ladder(URI image) {
        String protocol = image.getScheme().toUpperCase(Locale.ROOT);
        List<ObjectNode> out = new ArrayList<>();
        ObjectNode b = JSON.createObjectNode().put("Image", image.toString());
        out.add(b.deepCopy());
        if (profile.insertSendsInsertedWriteProtected()) {
            b.put("Inserted", true).put("WriteProtected", true);
            out.add(b.deepCopy());
        }
        b.put("TransferProtocolType", protocol);
        out.add(b.deepCopy());
        b.put("TransferMethod", "Stream");
        out.add(b.deepCopy());
        b.put("UserName", "").put("Password", "");
        out.add(b.deepCopy());
        return out;
    }

    private void checkUrl(URI image) {
        String s = image.toString();
        if (profile.imageUrlForbidsQuery() && (s.contains("?") || s.contains("="))) {
            throw new RedfishException(profile.vendor().wire() + " BMCs refuse image URLs with '?' or '=': " + s);
        }
        if (profile.httpsImagesOnly() && !"https".equalsIgnoreCase(image.getScheme())) {
            throw new RedfishException(profile.vendor().wire() + " BMCs fetch virtual media over HTTPS only; "
                    + "serve the ISO over https:// (TLS_CERT_FILE) instead of " + s);
        }
    }

    private void verify(VirtualMediaSlot slot, URI image) {
        JsonNode now = t.get(slot.path()).body();
        String got = now.path("Image").asText("");
        boolean connected = now.path("Inserted").asBoolean(false)
                || (now.has("ConnectedVia") && !now.path("ConnectedVia").asText().equals("NotConnected"));
        if (!sameImage(got, image.toString()) || !connected) {
            throw new RedfishException("the BMC accepted " + image + " for slot " + slot.id() + " but then reports Image="
                    + (got.isEmpty() ? "(none)" : got) + ", Inserted=" + now.path("Inserted").asText("?"));
        }
    }

    private static boolean sameImage(String reported, String wanted) {
        // some BMCs report only the file name, or drop the scheme
        return reported.equals(wanted) || (!reported.isEmpty() && wanted.endsWith(reported));
    }

    /** This slot will not take media (KVM-only slots, slots without a way to insert); try another. */
    /** A slot would not take an image; {@link #refusal()} is the BMC's own answer, when it gave one. */
    public static final class SlotRefused extends RedfishException {
        private final transient Optional<RedfishError> refusal;

        public SlotRefused(VirtualMediaSlot slot, String why) {
            this(slot, why, Optional.empty());
        }

        public SlotRefused(VirtualMediaSlot slot, String why, Optional<RedfishError> refusal) {
            super("virtual media slot " + slot.id() + " " + why);
            this.refusal = refusal;
        }

        public Optional<RedfishError> refusal() {
            return refusal;
        }
    }
}

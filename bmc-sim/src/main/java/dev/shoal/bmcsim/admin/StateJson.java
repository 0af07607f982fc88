package dev.shoal.bmcsim.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.bmc.BmcState;
import dev.shoal.bmcsim.bmc.RequestRecord;
import dev.shoal.bmcsim.bmc.SlotState;
import dev.shoal.bmcsim.faults.FaultPlanJson;
import dev.shoal.bmcsim.http.Json;

/** The admin endpoint's JSON form of a {@link BmcState}; field names match the record's. */
public final class StateJson {
    private StateJson() {
    }

    public static ObjectNode toJson(BmcState s) {
        ObjectNode o = Json.object();
        o.put("name", s.name());
        o.put("personality", s.personality().name());
        o.put("baseUrl", s.baseUri() == null ? null : s.baseUri().toString());
        o.put("up", s.up());
        o.put("power", s.power().redfish());
        o.set("boot", Json.object().put("enabled", s.boot().enabled()).put("target", s.boot().target()).put("mode", s.boot().mode()));
        ArrayNode media = Json.array();
        for (SlotState m : s.media()) {
            ObjectNode slot = Json.object();
            slot.put("id", m.id());
            slot.set("mediaTypes", Json.strings(m.mediaTypes()));
            slot.put("image", m.image());
            slot.put("inserted", m.inserted());
            slot.put("writeProtected", m.writeProtected());
            slot.put("connectedVia", m.connectedVia());
            slot.put("transferProtocolType", m.transferProtocolType());
            slot.put("transferMethod", m.transferMethod());
            slot.put("userName", m.userName());
            slot.put("ejecting", m.ejecting());
            slot.set("ranges", Json.strings(m.ranges()));
            media.add(slot);
        }
        o.set("media", media);
        ObjectNode pending = Json.object();
        s.pendingSettings().forEach(pending::put);
        o.set("pendingSettings", pending);
        o.put("sessions", s.sessions());
        o.set("faults", FaultPlanJson.toJson(s.faults()));
        o.put("bootCount", s.bootCount());
        ArrayNode requests = Json.array();
        for (RequestRecord r : s.requests()) {
            ObjectNode rr = Json.object();
            rr.put("time", r.time().toString());
            rr.put("method", r.method());
            rr.put("path", r.path());
            rr.put("status", r.status());
            rr.put("body", r.body());
            rr.put("client", r.client());
            requests.add(rr);
        }
        o.set("requests", requests);
        return o;
    }
}

package dev.shoal.bmcsim.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.http.Json;

import java.time.Duration;
import java.util.Iterator;
import java.util.Set;

/**
 * The admin endpoint's JSON form of a {@link FaultPlan}: flat, durations in milliseconds. Parsing is
 * strict (an unknown or mistyped field is an error) so a typo in a test never silently injects nothing.
 */
public final class FaultPlanJson {
    private static final Set<String> FIELDS = Set.of("latencyMs", "errorCount", "errorStatus", "errorPath",
            "dropConnections", "staleInsertedMs", "powerDelayMs", "down", "expireSessions", "notReady",
            "notReadyAfterPowerChange", "rejectIdentityEncoding", "maxSessions", "bmcResetDowntimeMs");

    private FaultPlanJson() {
    }

    public static ObjectNode toJson(FaultPlan p) {
        ObjectNode o = Json.object();
        o.put("latencyMs", p.latency().toMillis());
        o.put("errorCount", p.errorCount());
        o.put("errorStatus", p.errorStatus());
        if (p.errorPath() == null) {
            o.putNull("errorPath");
        } else {
            o.put("errorPath", p.errorPath());
        }
        o.put("dropConnections", p.dropConnections());
        o.put("staleInsertedMs", p.staleInserted().toMillis());
        if (p.powerDelay() == null) {
            o.putNull("powerDelayMs");
        } else {
            o.put("powerDelayMs", p.powerDelay().toMillis());
        }
        o.put("down", p.down());
        o.put("expireSessions", p.expireSessions());
        o.put("notReady", p.notReady());
        if (p.notReadyAfterPowerChange() == null) {
            o.putNull("notReadyAfterPowerChange");
        } else {
            o.put("notReadyAfterPowerChange", p.notReadyAfterPowerChange());
        }
        o.put("rejectIdentityEncoding", p.rejectIdentityEncoding());
        o.put("maxSessions", p.maxSessions());
        o.put("bmcResetDowntimeMs", p.bmcResetDowntime().toMillis());
        return o;
    }

    /** A whole plan from JSON; absent fields take {@link FaultPlan#NONE}'s values. */
    public static FaultPlan parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a fault plan is a JSON object");
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("unknown fault plan field " + f + "; known: " + new java.util.TreeSet<>(FIELDS));
            }
        }
        FaultPlan d = FaultPlan.NONE;
        return new FaultPlan(
                Duration.ofMillis(longField(json, "latencyMs", 0)),
                (int) longField(json, "errorCount", d.errorCount()),
                (int) longField(json, "errorStatus", d.errorStatus()),
                stringField(json, "errorPath"),
                (int) longField(json, "dropConnections", 0),
                Duration.ofMillis(longField(json, "staleInsertedMs", 0)),
                json.hasNonNull("powerDelayMs") ? Duration.ofMillis(longField(json, "powerDelayMs", 0)) : null,
                boolField(json, "down"),
                boolField(json, "expireSessions"),
                (int) longField(json, "notReady", 0),
                json.hasNonNull("notReadyAfterPowerChange") ? (int) longField(json, "notReadyAfterPowerChange", 0) : null,
                boolField(json, "rejectIdentityEncoding"),
                (int) longField(json, "maxSessions", 0),
                Duration.ofMillis(longField(json, "bmcResetDowntimeMs", 0)));
    }

    private static long longField(JsonNode json, String name, long dflt) {
        JsonNode v = json.get(name);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new IllegalArgumentException(name + " must be an integer, not " + v);
        }
        return v.asLong();
    }

    private static boolean boolField(JsonNode json, String name) {
        JsonNode v = json.get(name);
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new IllegalArgumentException(name + " must be true or false, not " + v);
        }
        return v.asBoolean();
    }

    private static String stringField(JsonNode json, String name) {
        JsonNode v = json.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new IllegalArgumentException(name + " must be a string, not " + v);
        }
        return v.asText();
    }
}

package dev.shoal.redfish.transport;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What a BMC said when it refused a request: the HTTP status, and from the DMTF error body its message and
 * the MessageIds of {@code @Message.ExtendedInfo}. Operators need the BMC's own words, so they are kept.
 */
public record RedfishError(int status, String message, List<String> messageIds) {

    public static RedfishError of(int status, JsonNode body) {
        List<String> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        JsonNode error = body == null ? null : body.path("error");
        if (error != null && !error.isMissingNode()) {
            if (error.hasNonNull("code")) {
                ids.add(error.get("code").asText());
            }
            for (JsonNode info : error.path("@Message.ExtendedInfo")) {
                if (info.hasNonNull("MessageId")) {
                    ids.add(info.get("MessageId").asText());
                }
                if (info.hasNonNull("Message")) {
                    texts.add(info.get("Message").asText());
                }
            }
            if (texts.isEmpty() && error.hasNonNull("message")) {
                texts.add(error.get("message").asText());
            }
        }
        String message = texts.isEmpty() ? "HTTP " + status : String.join("; ", texts);
        return new RedfishError(status, message, List.copyOf(ids));
    }

    /** True when any MessageId ends with this suffix, e.g. "SYS518" or "PropertyUnknown", whatever its registry version. */
    public boolean hasMessageId(String suffix) {
        return messageIds.stream().anyMatch(id -> id.endsWith(suffix) || id.endsWith("." + suffix));
    }

    /** True when the BMC's message or MessageIds mention this word (case-insensitive). */
    public boolean mentions(String word) {
        String w = word.toLowerCase(java.util.Locale.ROOT);
        return message.toLowerCase(java.util.Locale.ROOT).contains(w)
                || messageIds.stream().anyMatch(id -> id.toLowerCase(java.util.Locale.ROOT).contains(w));
    }

    @Override
    public String toString() {
        return "HTTP " + status + (messageIds.isEmpty() ? "" : " " + messageIds) + ": " + message;
    }
}

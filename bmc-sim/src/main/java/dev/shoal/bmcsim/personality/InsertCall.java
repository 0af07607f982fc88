package dev.shoal.bmcsim.personality;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.media.InsertRequirements;

/**
 * An InsertMedia (or PATCH insertion) about to be checked: the slot, the action URI the client used
 * (messages quote it), the request body and the BMC's configured parameter requirements.
 */
public record InsertCall(SlotSpec slot, String actionUri, ObjectNode body, InsertRequirements requirements, boolean viaPatch) {
    public String image() {
        return body.path("Image").isTextual() ? body.get("Image").asText() : null;
    }

    public boolean has(String field) {
        return body.has(field);
    }
}

package dev.shoal.redfish.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.redfish.transport.RedfishResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One virtual media slot as the BMC describes it.
 *
 * @param insertTarget the InsertMedia action's target, when the slot has one
 * @param patchable the slot's {@code Allow} header permits PATCH (insertion without actions, e.g. Lenovo XCC)
 * @param underSystem found under the ComputerSystem (newer firmware) rather than under a Manager
 */
public record VirtualMediaSlot(String path, String id, List<String> mediaTypes, Optional<String> image, boolean inserted,
                               Optional<String> insertTarget, Optional<String> ejectTarget, boolean patchable,
                               boolean underSystem, Optional<String> etag) {

    static VirtualMediaSlot of(RedfishResponse r, String path, boolean underSystem) {
        JsonNode b = r.body();
        List<String> types = new ArrayList<>();
        b.path("MediaTypes").forEach(t -> types.add(t.asText()));
        JsonNode actions = b.path("Actions");
        return new VirtualMediaSlot(path, b.path("Id").asText(lastSegment(path)), List.copyOf(types),
                Optional.ofNullable(b.path("Image").asText(null)).filter(s -> !s.isBlank()),
                b.path("Inserted").asBoolean(false),
                target(actions.path("#VirtualMedia.InsertMedia")),
                target(actions.path("#VirtualMedia.EjectMedia")),
                r.allows("PATCH"), underSystem, r.etag());
    }

    public boolean accepts(String mediaType) {
        return mediaTypes.stream().anyMatch(t -> t.equalsIgnoreCase(mediaType));
    }

    private static Optional<String> target(JsonNode action) {
        return Optional.ofNullable(action.path("target").asText(null));
    }

    static String lastSegment(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }
}

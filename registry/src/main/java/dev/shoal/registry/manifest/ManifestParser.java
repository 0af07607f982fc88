package dev.shoal.registry.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a pushed manifest's structure: OCI image manifest and index, Docker schema 2 manifest and manifest list.
 * The media type comes from the Content-Type header, or the body's {@code mediaType} when the header is missing;
 * when both are given they must agree, so what we serve later as Content-Type is what the content says it is.
 */
public final class ManifestParser {
    private final ObjectMapper json = new ObjectMapper();

    public ParsedManifest parse(byte[] content, String contentType) throws InvalidManifestException {
        JsonNode root;
        try {
            root = json.readTree(content);
        } catch (JsonProcessingException e) {
            throw new InvalidManifestException("manifest is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidManifestException("manifest could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidManifestException("manifest must be a JSON object");
        }
        String mediaType = mediaType(root, MediaTypes.essence(contentType));
        JsonNode schemaVersion = root.get("schemaVersion");
        if (schemaVersion == null || !schemaVersion.isInt() || schemaVersion.asInt() != 2) {
            throw new InvalidManifestException("schemaVersion must be 2");
        }
        Optional<Descriptor> subject = root.hasNonNull("subject")
                ? Optional.of(Descriptor.parse(root.get("subject"), "subject")) : Optional.empty();
        JsonNode at = root.get("artifactType");
        Optional<String> artifactType = at != null && at.isTextual() ? Optional.of(at.asText()) : Optional.empty();
        JsonNode annotations = root.get("annotations");
        if (MediaTypes.IMAGE_MANIFESTS.contains(mediaType)) {
            Descriptor config = Descriptor.parse(root.get("config"), "config");
            List<Descriptor> blobs = new ArrayList<>();
            blobs.add(config);
            for (Descriptor layer : descriptors(root, "layers")) {
                if (!MediaTypes.isForeignLayer(layer.mediaType())) {
                    blobs.add(layer);
                }
            }
            return new ParsedManifest(mediaType, List.copyOf(blobs), List.of(), subject,
                    artifactType.or(() -> Optional.of(config.mediaType())), annotations);
        }
        return new ParsedManifest(mediaType, List.of(), descriptors(root, "manifests"), subject, artifactType, annotations);
    }

    private static String mediaType(JsonNode root, String header) throws InvalidManifestException {
        JsonNode field = root.get("mediaType");
        if (field != null && !field.isTextual()) {
            throw new InvalidManifestException("mediaType must be a string");
        }
        String body = field == null ? "" : field.asText();
        // clients that send no type at all get the body's; a generic JSON type says nothing either
        String type = header.isEmpty() || header.equals("application/json") || header.equals("application/octet-stream")
                ? body : header;
        if (type.isEmpty()) {
            throw new InvalidManifestException("manifest media type unknown: no Content-Type and no mediaType field");
        }
        if (!body.isEmpty() && !body.equals(type)) {
            throw new InvalidManifestException("Content-Type " + type + " does not match the manifest's mediaType " + body);
        }
        if (!MediaTypes.IMAGE_MANIFESTS.contains(type) && !MediaTypes.INDEXES.contains(type)) {
            throw new InvalidManifestException("unsupported manifest media type " + type + "; supported: "
                    + MediaTypes.OCI_MANIFEST + ", " + MediaTypes.OCI_INDEX + ", " + MediaTypes.DOCKER_MANIFEST + ", "
                    + MediaTypes.DOCKER_MANIFEST_LIST);
        }
        return type;
    }

    private static List<Descriptor> descriptors(JsonNode root, String field) throws InvalidManifestException {
        JsonNode array = root.get(field);
        if (array == null || !array.isArray()) {
            throw new InvalidManifestException(field + " must be an array");
        }
        List<Descriptor> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(Descriptor.parse(array.get(i), field + "[" + i + "]"));
        }
        return List.copyOf(out);
    }
}

package dev.shoal.controller.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.http.ApiException;
import dev.shoal.controller.http.ApiException.FieldError;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.secrets.Secret;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a whole {@code POST /api/v1/jobs} body and reports every problem at once, each naming its
 * field by JSON path. Unknown fields are errors too: a misspelt {@code tls_verfy} silently ignored would
 * turn certificate checks back on or off behind the operator's back.
 */
public final class JobRequestParser {
    public static final Set<String> VENDORS =
            Set.of("auto", "generic", "dell", "hpe", "supermicro", "lenovo", "ami", "openbmc", "cisco");
    static final int MAX_LABELS = 64;
    static final int MAX_USER_DATA = 1 << 20;
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,61}[A-Za-z0-9])?");
    private static final Pattern CHECKSUM = Pattern.compile("(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})");
    private static final Pattern IMAGE_REF = Pattern.compile(
            "[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(@sha256:[0-9a-f]{64})?");

    private final List<FieldError> problems = new ArrayList<>();

    private JobRequestParser() {
    }

    public static JobRequest parse(JsonNode body) {
        return new JobRequestParser().request(body);
    }

    private JobRequest request(JsonNode body) {
        if (!body.isObject()) {
            throw new ApiException(400, "invalid_request", "request body must be a JSON object");
        }
        unknownFields(body, "", Set.of("server", "recipe", "labels"));
        ObjectNode server = Json.object();
        Secret password = Secret.of("");
        String serverKey = "";
        JsonNode s = requireObject(body, "server", "server");
        if (s != null) {
            unknownFields(s, "server.", Set.of("bmc_url", "username", "password", "system_id", "vendor", "tls_verify"));
            URI bmc = bmcUrl(s.get("bmc_url"));
            String user = text(s, "username", "server.username", true, 256);
            String pw = text(s, "password", "server.password", true, 1024);
            String systemId = text(s, "system_id", "server.system_id", false, 256);
            String vendor = choice(s, "vendor", "server.vendor", VENDORS, "auto");
            boolean tlsVerify = bool(s, "tls_verify", "server.tls_verify", true);
            if (bmc != null) {
                server.put("bmc_url", bmc.toString());
                serverKey = (bmc.getScheme() + "://" + bmc.getHost().toLowerCase(Locale.ROOT) + ":" + port(bmc)) + "|"
                        + (systemId == null ? "" : systemId);
            }
            server.put("username", user);
            server.put("system_id", systemId);
            server.put("vendor", vendor);
            server.put("tls_verify", tlsVerify);
            password = Secret.of(pw == null ? "" : pw);
        }
        ObjectNode recipe = Json.object();
        Map<String, Secret> secrets = new LinkedHashMap<>();
        JsonNode r = requireObject(body, "recipe", "recipe");
        if (r != null) {
            recipe(r, recipe, secrets);
        }
        ObjectNode labels = labels(body.get("labels"));
        if (!problems.isEmpty()) {
            String message = problems.size() == 1
                    ? problems.getFirst().field() + ": " + problems.getFirst().message()
                    : problems.size() + " fields are invalid: " + String.join(", ", problems.stream().map(FieldError::field).toList());
            throw new ApiException(400, "invalid_request", message, problems);
        }
        return new JobRequest(server, password, serverKey, recipe, Map.copyOf(secrets), labels);
    }

    private void recipe(JsonNode r, ObjectNode out, Map<String, Secret> secrets) {
        String kind = choice(r, "kind", "recipe.kind", Set.of("image", "bootc"), null);
        if (kind == null) {
            if (!r.hasNonNull("kind")) {
                problems.add(new FieldError("recipe.kind", "is required: image or bootc"));
            }
            return;
        }
        out.put("kind", kind);
        if (kind.equals("image")) {
            unknownFields(r, "recipe.", Set.of("kind", "url", "checksum", "format", "root_device", "config_drive"));
            URI url = url(r.get("url"), "recipe.url", Set.of("http", "https", "oci"));
            if (url != null) {
                out.put("url", url.toString());
            }
            String checksum = text(r, "checksum", "recipe.checksum", true, 200);
            if (checksum != null) {
                String c = checksum.toLowerCase(Locale.ROOT);
                if (!CHECKSUM.matcher(c).matches()) {
                    problems.add(new FieldError("recipe.checksum", "must be sha256:<64 hex digits> or sha512:<128 hex digits>"));
                }
                out.put("checksum", c);
            }
            out.put("format", choice(r, "format", "recipe.format", Set.of("raw", "qcow2"), "raw"));
        } else {
            unknownFields(r, "recipe.", Set.of("kind", "image", "authorized_keys", "tpm2_luks", "pull_secret",
                    "root_device", "config_drive"));
            String image = text(r, "image", "recipe.image", true, 1024);
            if (image != null) {
                String ref = image.startsWith("oci://") ? image.substring("oci://".length()) : image;
                if (!IMAGE_REF.matcher(ref).matches()) {
                    problems.add(new FieldError("recipe.image",
                            "must be a container image reference like registry.example.org/os/fedora-bootc:42"));
                }
                out.put("image", ref);
            }
            String keys = text(r, "authorized_keys", "recipe.authorized_keys", false, 64 * 1024);
            if (keys != null) {
                authorizedKeys(keys);
            }
            out.put("authorized_keys", keys);
            out.put("tpm2_luks", bool(r, "tpm2_luks", "recipe.tpm2_luks", false));
            String pullSecret = text(r, "pull_secret", "recipe.pull_secret", false, 64 * 1024);
            if (pullSecret != null) {
                secrets.put("pull_secret", Secret.of(pullSecret));
            }
            out.put("pull_secret", pullSecret == null ? null : Secret.MASK);
        }
        out.set("root_device", rootDevice(r.get("root_device")));
        out.set("config_drive", configDrive(r.get("config_drive"), secrets));
    }

    private JsonNode rootDevice(JsonNode n) {
        ObjectNode out = Json.object();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            problems.add(new FieldError("recipe.root_device", "must be an object of device hints"));
            return out;
        }
        String p = "recipe.root_device.";
        unknownFields(n, p, Set.of("name", "serial", "wwn", "model", "vendor", "size_min_gib", "size_max_gib",
                "rotational", "prefer"));
        String name = text(n, "name", p + "name", false, 256);
        if (name != null) {
            if (!name.startsWith("/dev/")) {
                problems.add(new FieldError(p + "name", "must be a device path starting with /dev/"));
            }
            out.put("name", name);
        }
        for (String f : List.of("serial", "wwn", "model", "vendor")) {
            String v = text(n, f, p + f, false, 256);
            if (v != null) {
                out.put(f, v);
            }
        }
        Double min = positive(n, "size_min_gib", p + "size_min_gib");
        Double max = positive(n, "size_max_gib", p + "size_max_gib");
        if (min != null && max != null && min > max) {
            problems.add(new FieldError(p + "size_max_gib", "is smaller than size_min_gib"));
        }
        if (min != null) out.put("size_min_gib", min);
        if (max != null) out.put("size_max_gib", max);
        if (n.has("rotational")) {
            out.put("rotational", bool(n, "rotational", p + "rotational", false));
        }
        String prefer = choice(n, "prefer", p + "prefer", Set.of("smallest", "largest"), null);
        if (prefer != null) {
            out.put("prefer", prefer);
        }
        return out;
    }

    private JsonNode configDrive(JsonNode n, Map<String, Secret> secrets) {
        if (n == null || n.isNull()) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        ObjectNode out = Json.object();
        if (!n.isObject()) {
            problems.add(new FieldError("recipe.config_drive", "must be an object with meta_data, user_data, network_data"));
            return out;
        }
        String p = "recipe.config_drive.";
        unknownFields(n, p, Set.of("meta_data", "user_data", "network_data"));
        for (String f : List.of("meta_data", "network_data")) {
            JsonNode v = n.get(f);
            if (v == null || v.isNull()) {
                out.set(f, Json.object());
            } else if (!v.isObject()) {
                problems.add(new FieldError(p + f, "must be a JSON object"));
            } else {
                out.set(f, v);
            }
        }
        // user_data often carries passwords or tokens (cloud-init): kept sealed and masked, as Ironic masks it.
        String userData = text(n, "user_data", p + "user_data", false, MAX_USER_DATA);
        if (userData != null && !userData.isEmpty()) {
            secrets.put("config_drive.user_data", Secret.of(userData));
        }
        out.put("user_data", userData == null || userData.isEmpty() ? null : Secret.MASK);
        return out;
    }

    private ObjectNode labels(JsonNode n) {
        ObjectNode out = Json.object();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            problems.add(new FieldError("labels", "must be an object of string values"));
            return out;
        }
        if (n.size() > MAX_LABELS) {
            problems.add(new FieldError("labels", "has " + n.size() + " entries; at most " + MAX_LABELS));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "labels." + e.getKey();
            if (!LABEL_KEY.matcher(e.getKey()).matches()) {
                problems.add(new FieldError(field, "label names are 1-63 characters of letters, digits, '.', '_', '-', '/'"));
            } else if (!e.getValue().isTextual()) {
                problems.add(new FieldError(field, "must be a string"));
            } else if (e.getValue().asText().length() > 256) {
                problems.add(new FieldError(field, "is longer than 256 characters"));
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }

    private void authorizedKeys(String keys) {
        int line = 0;
        for (String l : keys.split("\n")) {
            line++;
            String k = l.strip();
            if (k.isEmpty() || k.startsWith("#")) {
                continue;
            }
            if (!(k.startsWith("ssh-") || k.startsWith("ecdsa-") || k.startsWith("sk-") || k.contains(" ssh-")
                    || k.contains(" ecdsa-") || k.contains(" sk-"))) {
                problems.add(new FieldError("recipe.authorized_keys", "line " + line + " is not an SSH public key"));
            }
        }
    }

    private URI bmcUrl(JsonNode n) {
        URI u = url(n, "server.bmc_url", Set.of("http", "https"));
        if (u == null) {
            return null;
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            problems.add(new FieldError("server.bmc_url", "must not have a query or fragment"));
            return null;
        }
        String s = u.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    private URI url(JsonNode n, String field, Set<String> schemes) {
        if (n == null || n.isNull()) {
            problems.add(new FieldError(field, "is required"));
            return null;
        }
        if (!n.isTextual()) {
            problems.add(new FieldError(field, "must be a string"));
            return null;
        }
        String wanted = String.join(", ", schemes.stream().sorted().map(x -> x + "://").toList());
        try {
            URI u = new URI(n.asText().strip());
            String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
            if (scheme == null || !schemes.contains(scheme)) {
                problems.add(new FieldError(field, "must be a URL starting with " + wanted));
                return null;
            }
            if (u.getHost() == null) {
                problems.add(new FieldError(field, "has no host"));
                return null;
            }
            if (u.getRawUserInfo() != null) {
                problems.add(new FieldError(field, "must not carry credentials; use the credential fields"));
                return null;
            }
            return u;
        } catch (URISyntaxException e) {
            problems.add(new FieldError(field, "is not a valid URL: " + e.getReason()));
            return null;
        }
    }

    private JsonNode requireObject(JsonNode parent, String name, String field) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            problems.add(new FieldError(field, "is required"));
            return null;
        }
        if (!n.isObject()) {
            problems.add(new FieldError(field, "must be an object"));
            return null;
        }
        return n;
    }

    private String text(JsonNode parent, String name, String field, boolean required, int maxLength) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                problems.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!n.isTextual()) {
            problems.add(new FieldError(field, "must be a string"));
            return null;
        }
        String v = n.asText();
        if (required && v.isBlank()) {
            problems.add(new FieldError(field, "must not be empty"));
            return null;
        }
        if (v.length() > maxLength) {
            problems.add(new FieldError(field, "is longer than " + maxLength + " characters"));
            return null;
        }
        if (maxLength <= 1024 && v.chars().anyMatch(Character::isISOControl)) {
            problems.add(new FieldError(field, "must not contain control characters"));
            return null;
        }
        return v;
    }

    private String choice(JsonNode parent, String name, String field, Set<String> allowed, String fallback) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return fallback;
        }
        String v = n.isTextual() ? n.asText() : null;
        if (v == null || !allowed.contains(v)) {
            problems.add(new FieldError(field, "must be one of " + String.join(", ", allowed.stream().sorted().toList())));
            return fallback;
        }
        return v;
    }

    private boolean bool(JsonNode parent, String name, String field, boolean fallback) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            problems.add(new FieldError(field, "must be true or false"));
            return fallback;
        }
        return n.asBoolean();
    }

    private Double positive(JsonNode parent, String name, String field) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber() || n.asDouble() <= 0 || n.asDouble() > 1_048_576) {
            problems.add(new FieldError(field, "must be a number of GiB between 0 and 1048576"));
            return null;
        }
        return n.asDouble();
    }

    private void unknownFields(JsonNode n, String prefix, Set<String> known) {
        n.fieldNames().forEachRemaining(f -> {
            if (!known.contains(f)) {
                problems.add(new FieldError(prefix + f, "is not a known field (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")"));
            }
        });
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
}

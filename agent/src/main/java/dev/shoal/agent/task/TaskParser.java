package dev.shoal.agent.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.shoal.agent.Tls;

/**
 * Validates task.json and names every bad field. Unknown fields are ignored, not refused: the controller may be
 * newer than the agent baked into the maintenance ISO, and a field this agent does not know it cannot act on anyway.
 * The callback part is parsed on its own first ({@link #callback}), so a task with a bad recipe can still be reported.
 */
public final class TaskParser {
    private static final Pattern JOB_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern KEY_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    static final String HEARTBEAT = "heartbeat_interval_seconds";
    static final int MAX_HEARTBEAT_SECONDS = 3600;

    private final List<String> problems = new ArrayList<>();

    private TaskParser() {
    }

    /** The callback fields only: job_id, controller_url, agent_token, job_key, ca_cert. */
    public static Callback callback(JsonNode task) throws TaskException {
        TaskParser p = new TaskParser();
        Callback c = p.parseCallback(task);
        p.throwIfProblems();
        return c;
    }

    public static Task parse(JsonNode task) throws TaskException {
        TaskParser p = new TaskParser();
        Callback c = p.parseCallback(task);
        Recipe r = task.isObject() ? p.recipe(task.get("recipe")) : null;
        Optional<Duration> heartbeat = task.isObject() ? p.heartbeat(task.get(HEARTBEAT)) : Optional.empty();
        Optional<RegistryAccess> registry = task.isObject() ? p.registry(task.get("registry")) : Optional.empty();
        p.throwIfProblems();
        return new Task(c, r, heartbeat, registry);
    }

    private void throwIfProblems() throws TaskException {
        if (!problems.isEmpty()) {
            throw new TaskException(problems);
        }
    }

    private Callback parseCallback(JsonNode t) {
        if (t == null || !t.isObject()) {
            problems.add("(task.json): must be a JSON object");
            return null;
        }
        String jobId = text(t, "job_id", "job_id", true);
        if (jobId != null && !JOB_ID.matcher(jobId).matches()) {
            problems.add("job_id: must be a lower-case UUID");
        }
        URI url = url(t.get("controller_url"), "controller_url", Set.of("http", "https"));
        String token = text(t, "agent_token", "agent_token", true);
        String key = text(t, "job_key", "job_key", true);
        if (key != null && !KEY_HEX.matcher(key).matches()) {
            problems.add("job_key: must be 64 hex digits (32 bytes)");
        }
        List<X509Certificate> certs = List.of();
        String pem = text(t, "ca_cert", "ca_cert", false);
        if (pem != null) {
            try {
                certs = Tls.parsePem(pem);
            } catch (CertificateException e) {
                problems.add("ca_cert: must be PEM certificates (" + e.getMessage() + ")");
            }
        }
        if (!problems.isEmpty()) {
            return null;
        }
        return new Callback(jobId, url, token, HexFormat.of().parseHex(key), certs);
    }

    /**
     * {@code registry: {url, username, password}}, all three required once any is there; an object with none of them
     * is left alone (a newer controller may put other things there).
     */
    private Optional<RegistryAccess> registry(JsonNode n) {
        if (n == null || n.isNull() || (n.isObject() && !n.has("url") && !n.has("username") && !n.has("password"))) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            problems.add("registry: must be an object {url, username, password}");
            return Optional.empty();
        }
        URI url = url(n.get("url"), "registry.url", Set.of("http", "https"));
        String user = text(n, "username", "registry.username", true);
        String password = text(n, "password", "registry.password", true);
        return url == null || user == null || password == null ? Optional.empty() : Optional.of(new RegistryAccess(url, user, password));
    }

    /** Whole seconds, 1 to 3600: a fraction or a string is refused rather than rounded or guessed at. */
    private Optional<Duration> heartbeat(JsonNode n) {
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 1 || n.asInt() > MAX_HEARTBEAT_SECONDS) {
            problems.add(HEARTBEAT + ": must be a whole number of seconds from 1 to " + MAX_HEARTBEAT_SECONDS);
            return Optional.empty();
        }
        return Optional.of(Duration.ofSeconds(n.asInt()));
    }

    private Recipe recipe(JsonNode r) {
        if (r == null || r.isNull()) {
            problems.add("recipe: is required");
            return null;
        }
        if (!r.isObject()) {
            problems.add("recipe: must be an object");
            return null;
        }
        String kind = text(r, "kind", "recipe.kind", true);
        RootDeviceHints hints = rootDevice(r.get("root_device"));
        Optional<ConfigDrive> drive = configDrive(r.get("config_drive"));
        if (kind == null) {
            return null;
        }
        switch (kind) {
            case "image" -> {
                URI url = url(r.get("url"), "recipe.url", Set.of("http", "https", "oci"));
                Checksum checksum = null;
                String c = text(r, "checksum", "recipe.checksum", true);
                if (c != null) {
                    try {
                        checksum = Checksum.parse(c);
                    } catch (IllegalArgumentException e) {
                        problems.add("recipe.checksum: " + e.getMessage());
                    }
                }
                ImageFormat format = ImageFormat.RAW;
                String f = text(r, "format", "recipe.format", false);
                if (f != null) {
                    switch (f) {
                        case "raw" -> format = ImageFormat.RAW;
                        case "qcow2" -> format = ImageFormat.QCOW2;
                        default -> problems.add("recipe.format: must be raw or qcow2");
                    }
                }
                return problems.isEmpty() ? new Recipe.Image(url, checksum, format, hints, drive) : null;
            }
            case "bootc" -> {
                String image = text(r, "image", "recipe.image", true);
                return problems.isEmpty() ? new Recipe.Bootc(image, hints, drive) : null;
            }
            default -> {
                problems.add("recipe.kind: must be image or bootc");
                return null;
            }
        }
    }

    private RootDeviceHints rootDevice(JsonNode n) {
        if (n == null || n.isNull()) {
            return RootDeviceHints.NONE;
        }
        if (!n.isObject()) {
            problems.add("recipe.root_device: must be an object of device hints");
            return RootDeviceHints.NONE;
        }
        String p = "recipe.root_device.";
        Optional<String> name = Optional.ofNullable(text(n, "name", p + "name", false));
        if (name.isPresent() && !name.get().startsWith("/dev/")) {
            problems.add(p + "name: must be a device path starting with /dev/");
        }
        Optional<Boolean> rotational = Optional.empty();
        JsonNode rot = n.get("rotational");
        if (rot != null && !rot.isNull()) {
            if (rot.isBoolean()) {
                rotational = Optional.of(rot.asBoolean());
            } else {
                problems.add(p + "rotational: must be true or false");
            }
        }
        Optional<String> prefer = Optional.ofNullable(text(n, "prefer", p + "prefer", false));
        if (prefer.isPresent() && !Set.of("smallest", "largest").contains(prefer.get())) {
            problems.add(p + "prefer: must be smallest or largest");
        }
        return new RootDeviceHints(name, Optional.ofNullable(text(n, "serial", p + "serial", false)),
                Optional.ofNullable(text(n, "wwn", p + "wwn", false)), Optional.ofNullable(text(n, "model", p + "model", false)),
                Optional.ofNullable(text(n, "vendor", p + "vendor", false)), positive(n, "size_min_gib", p),
                positive(n, "size_max_gib", p), rotational, prefer);
    }

    private Optional<Double> positive(JsonNode n, String field, String prefix) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isNumber() || v.asDouble() <= 0) {
            problems.add(prefix + field + ": must be a positive number");
            return Optional.empty();
        }
        return Optional.of(v.asDouble());
    }

    private Optional<ConfigDrive> configDrive(JsonNode n) {
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            problems.add("recipe.config_drive: must be an object with meta_data, user_data, network_data");
            return Optional.empty();
        }
        ObjectNode meta = object(n, "meta_data");
        ObjectNode network = object(n, "network_data");
        String userData = text(n, "user_data", "recipe.config_drive.user_data", false);
        return Optional.of(new ConfigDrive(meta, Optional.ofNullable(userData).filter(s -> !s.isEmpty()), network));
    }

    private ObjectNode object(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!v.isObject()) {
            problems.add("recipe.config_drive." + field + ": must be a JSON object");
            return JsonNodeFactory.instance.objectNode();
        }
        return (ObjectNode) v;
    }

    private URI url(JsonNode n, String field, Set<String> schemes) {
        if (n == null || n.isNull()) {
            problems.add(field + ": is required");
            return null;
        }
        if (!n.isTextual()) {
            problems.add(field + ": must be a string");
            return null;
        }
        String allowed = String.join(", ", schemes.stream().sorted().toList());
        try {
            URI u = new URI(n.asText());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!schemes.contains(scheme) || u.getHost() == null) {
                problems.add(field + ": must be an absolute URL with a host, scheme " + allowed);
                return null;
            }
            return u;
        } catch (URISyntaxException e) {
            problems.add(field + ": is not a valid URL (" + e.getReason() + ")");
            return null;
        }
    }

    private String text(JsonNode n, String name, String field, boolean required) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(field + ": is required");
            }
            return null;
        }
        if (!v.isTextual()) {
            problems.add(field + ": must be a string");
            return null;
        }
        if (required && v.asText().isBlank()) {
            problems.add(field + ": must not be empty");
            return null;
        }
        return v.asText();
    }
}

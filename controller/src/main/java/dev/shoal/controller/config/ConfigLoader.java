package dev.shoal.controller.config;

import dev.shoal.controller.auth.PasswordHash;
import dev.shoal.controller.config.ControllerConfig.ApiAuth;
import dev.shoal.controller.config.ControllerConfig.RegistrySettings;
import dev.shoal.controller.config.ControllerConfig.Secrets;
import dev.shoal.controller.config.ControllerConfig.StoragePaths;
import dev.shoal.controller.config.ControllerConfig.TlsFiles;
import dev.shoal.controller.secrets.Secret;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns raw settings into a {@link ControllerConfig}, collecting every problem so that one start-up attempt
 * reports all of them, one line per key. Secret values never appear in a problem.
 */
public final class ConfigLoader {
    static final int MIN_SECRET_LENGTH = 32;
    private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");
    private static final List<String> PLACEHOLDER_MARKS =
            List.of("replace-with", "redacted", "changeme", "change-me", "example", "placeholder", "xxxxxxxx");

    private final Map<ConfigKey, Setting> settings;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigLoader(Map<ConfigKey, Setting> settings) {
        this.settings = settings;
    }

    public static ControllerConfig load(Map<ConfigKey, Setting> settings) {
        return new ConfigLoader(settings).build();
    }

    private ControllerConfig build() {
        Optional<Mode> explicitMode = parsed(ConfigKey.SHOAL_MODE, v -> Mode.valueOf(choice(v, "local", "production")));
        // A malformed SHOAL_MODE is already a problem; the checks of a guessed mode would only add misleading ones.
        boolean modeMalformed = explicitMode.isEmpty() && settings.containsKey(ConfigKey.SHOAL_MODE);
        Mode mode = explicitMode.orElse(settings.isEmpty() ? Mode.LOCAL : Mode.PRODUCTION);
        ListenAddress listen = required(ConfigKey.CONTROLLER_HTTP_ADDR, ListenAddress::parse, new ListenAddress("127.0.0.1", 8080));
        Optional<TlsFiles> tls = tls();
        AuthMode authMode = required(ConfigKey.AUTH_MODE, v -> AuthMode.valueOf(choice(v, "basic", "none")), AuthMode.BASIC);
        String user = required(ConfigKey.BASIC_USER, ConfigLoader::userName, "admin");
        Optional<PasswordHash> passHash = parsed(ConfigKey.BASIC_PASS_HASH, ConfigLoader::passwordHash);
        Path root = required(ConfigKey.STORAGE_ROOT, ConfigLoader::path, Path.of("var/shoal").toAbsolutePath());
        StoragePaths paths = new StoragePaths(root,
                parsed(ConfigKey.DB_PATH, ConfigLoader::path).orElse(root.resolve("db/provisioner.db")),
                parsed(ConfigKey.TASK_ISO_DIR, ConfigLoader::path).orElse(root.resolve("tasks")),
                parsed(ConfigKey.STATIC_DIR, ConfigLoader::path).orElse(root.resolve("static")));
        Optional<URI> maintenanceIso = parsed(ConfigKey.MAINTENANCE_ISO_URL, ConfigLoader::httpUrl);
        boolean registryOn = required(ConfigKey.ENABLE_REGISTRY, ConfigLoader::bool, false);
        RegistrySettings registry = new RegistrySettings(registryOn,
                parsed(ConfigKey.REGISTRY_STORAGE, ConfigLoader::path).orElse(root.resolve("oci")),
                required(ConfigKey.REGISTRY_AUTH_MODE, v -> AuthMode.valueOf(choice(v, "basic", "none")), AuthMode.BASIC),
                parsed(ConfigKey.REGISTRY_USERS_FILE, ConfigLoader::path),
                parsed(ConfigKey.REGISTRY_PUSH_USERS, ConfigLoader::userList),
                new ControllerConfig.RegistryGc(
                        required(ConfigKey.REGISTRY_GC_INTERVAL, v -> zeroOrDurationIn(v, Duration.ofSeconds(1), Duration.ofDays(30)), Duration.ofHours(6)),
                        // seconds are allowed so tests can watch a run; in production anything under minutes risks
                        // collecting the blobs of a push that has not sent its manifest yet
                        required(ConfigKey.REGISTRY_GC_GRACE, v -> durationIn(v, Duration.ofSeconds(1), Duration.ofDays(30)), Duration.ofHours(1)),
                        required(ConfigKey.REGISTRY_UPLOAD_TIMEOUT, v -> durationIn(v, Duration.ofSeconds(1), Duration.ofDays(30)), Duration.ofHours(24)),
                        required(ConfigKey.REGISTRY_RETAIN_TAGS, v -> intIn(v, 0, 1_000_000), 0)));
        int workers = required(ConfigKey.WORKER_CONCURRENCY, v -> intIn(v, 0, 1024), 4);
        Duration redfishTimeout = required(ConfigKey.REDFISH_TIMEOUT, v -> durationIn(v, Duration.ofSeconds(1), Duration.ofMinutes(30)), Duration.ofSeconds(30));
        int redfishRetries = required(ConfigKey.REDFISH_RETRIES, v -> intIn(v, 0, 100), 5);
        Duration leaseTtl = required(ConfigKey.JOB_LEASE_TTL, v -> durationIn(v, Duration.ofSeconds(1), Duration.ofDays(1)), Duration.ofMinutes(10));
        Duration stuck = required(ConfigKey.JOB_STUCK_TIMEOUT, v -> durationIn(v, Duration.ofSeconds(2), Duration.ofDays(30)), Duration.ofHours(4));
        ControllerConfig.Agents agents = new ControllerConfig.Agents(
                parsed(ConfigKey.CONTROLLER_URL, ConfigLoader::baseUrl),
                required(ConfigKey.AGENT_BOOT_TIMEOUT, v -> durationIn(v, Duration.ofSeconds(2), Duration.ofDays(1)), Duration.ofMinutes(30)),
                required(ConfigKey.AGENT_HEARTBEAT_TIMEOUT, v -> durationIn(v, Duration.ofSeconds(2), Duration.ofHours(4)), Duration.ofMinutes(2)));
        boolean drain = required(ConfigKey.DRAIN, ConfigLoader::bool, false);
        Secrets secrets = new Secrets(parsed(ConfigKey.WEBHOOK_SECRET, Secret::of),
                parsed(ConfigKey.WEBHOOK_SECRET_PREVIOUS, Secret::of), parsed(ConfigKey.SIGNED_URL_SECRET, Secret::of));
        int retention = required(ConfigKey.JOB_RETENTION_DAYS, v -> intIn(v, 0, 3650), 14);
        String logLevel = required(ConfigKey.LOG_LEVEL, v -> choice(v, LOG_LEVELS.toArray(String[]::new)).toLowerCase(Locale.ROOT), "info");

        if (!leaseTtl.minus(stuck).isNegative()) {
            problem(ConfigKey.JOB_LEASE_TTL, "must be shorter than JOB_STUCK_TIMEOUT (" + Durations.format(stuck) + ")");
        }
        if (registryOn && registry.authMode() == AuthMode.BASIC && registry.usersFile().isEmpty()) {
            problem(ConfigKey.REGISTRY_USERS_FILE, "is required with ENABLE_REGISTRY=true and REGISTRY_AUTH_MODE=basic");
        }
        registry.usersFile().filter(f -> registryOn && !Files.isReadable(f))
                .ifPresent(f -> problem(ConfigKey.REGISTRY_USERS_FILE, f + " does not exist or is not readable"));
        if (modeMalformed) {
            // reported above
        } else if (mode == Mode.LOCAL) {
            checkLocal(listen);
        } else {
            checkProduction(authMode, passHash, registry, secrets);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ControllerConfig(mode, listen, tls, new ApiAuth(authMode, user, passHash), paths, maintenanceIso,
                registry, workers, redfishTimeout, redfishRetries, leaseTtl, stuck, secrets, retention, logLevel, agents, drain);
    }

    private void checkLocal(ListenAddress listen) {
        if (!listen.isLoopback()) {
            problem(ConfigKey.CONTROLLER_HTTP_ADDR, "local mode listens on loopback only (" + listen
                    + " is not); for a network-facing controller set SHOAL_MODE=production with real secrets");
        }
    }

    private void checkProduction(AuthMode authMode, Optional<PasswordHash> passHash, RegistrySettings registry,
                                 Secrets secrets) {
        if (authMode == AuthMode.NONE) {
            problem(ConfigKey.AUTH_MODE, "none is allowed only in local mode (SHOAL_MODE=local, loopback listener)");
        } else if (passHash.isEmpty() && !settings.containsKey(ConfigKey.BASIC_PASS_HASH)) {
            problem(ConfigKey.BASIC_PASS_HASH, "is required in production; make one with `shoal-controller hash-password`");
        }
        if (registry.enabled() && registry.authMode() == AuthMode.NONE) {
            problem(ConfigKey.REGISTRY_AUTH_MODE, "none is allowed only in local mode");
        }
        requireStrong(ConfigKey.WEBHOOK_SECRET, secrets.webhook(), true);
        requireStrong(ConfigKey.WEBHOOK_SECRET_PREVIOUS, secrets.webhookPrevious(), false);
        requireStrong(ConfigKey.SIGNED_URL_SECRET, secrets.signedUrl(), true);
        if (secrets.webhook().isPresent() && secrets.webhook().equals(secrets.webhookPrevious())) {
            problem(ConfigKey.WEBHOOK_SECRET_PREVIOUS, "is the same as WEBHOOK_SECRET; set it to the secret being rotated out");
        }
    }

    private void requireStrong(ConfigKey key, Optional<Secret> secret, boolean required) {
        if (secret.isEmpty()) {
            if (required && !settings.containsKey(key)) {
                problem(key, "is required in production (at least " + MIN_SECRET_LENGTH + " random characters, e.g. `openssl rand -base64 48`)");
            }
            return;
        }
        String v = secret.get().reveal();
        String lower = v.toLowerCase(Locale.ROOT);
        if (PLACEHOLDER_MARKS.stream().anyMatch(lower::contains)) {
            problem(key, "is a placeholder, not a secret; generate one with `openssl rand -base64 48`");
        } else if (v.length() < MIN_SECRET_LENGTH) {
            problem(key, "is " + v.length() + " characters; use at least " + MIN_SECRET_LENGTH + " random characters");
        }
    }

    private Optional<TlsFiles> tls() {
        Optional<Path> cert = parsed(ConfigKey.TLS_CERT_FILE, ConfigLoader::path);
        Optional<Path> key = parsed(ConfigKey.TLS_KEY_FILE, ConfigLoader::path);
        if (cert.isPresent() != key.isPresent()) {
            problem(cert.isPresent() ? ConfigKey.TLS_KEY_FILE : ConfigKey.TLS_CERT_FILE,
                    "must be set together with " + (cert.isPresent() ? "TLS_CERT_FILE" : "TLS_KEY_FILE"));
            return Optional.empty();
        }
        cert.filter(f -> !Files.isReadable(f)).ifPresent(f -> problem(ConfigKey.TLS_CERT_FILE, f + " does not exist or is not readable"));
        key.filter(f -> !Files.isReadable(f)).ifPresent(f -> problem(ConfigKey.TLS_KEY_FILE, f + " does not exist or is not readable"));
        return cert.map(c -> new TlsFiles(c, key.get()));
    }

    private <T> T required(ConfigKey key, Function<String, T> parser, T fallback) {
        return parsed(key, parser).orElse(fallback);
    }

    /** Parses the key's value if it has one (explicit or default); a problem is recorded on failure. */
    private <T> Optional<T> parsed(ConfigKey key, Function<String, T> parser) {
        Setting s = settings.get(key);
        String value = s != null ? s.value() : key.defaultValue().orElse(null);
        if (value == null) {
            return Optional.empty();
        }
        String label = s != null ? s.label() : key.name() + " (default)";
        if (value.isBlank()) {
            problems.add(new ConfigProblem(label, key.defaultValue().isPresent()
                    ? "is empty; remove the line to use the default (" + key.defaultValue().get() + "), or give a value"
                    : "is empty; give it a value or remove the line"));
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(value));
        } catch (IllegalArgumentException e) {
            // Parsers of secret values never quote the value (PasswordHash.parse promises it).
            problems.add(new ConfigProblem(label, e.getMessage()));
            return Optional.empty();
        }
    }

    private void problem(ConfigKey key, String message) {
        Setting s = settings.get(key);
        problems.add(new ConfigProblem(s != null ? s.label() : key.name(), message));
    }

    private static String choice(String value, String... allowed) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v.toUpperCase(Locale.ROOT);
            }
        }
        throw new IllegalArgumentException("\"" + value + "\" is not one of " + String.join(", ", allowed));
    }

    private static int intIn(String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + value + "\" is not a whole number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(n + " is out of range " + min + ".." + max);
        }
        return n;
    }

    private static Duration durationIn(String value, Duration min, Duration max) {
        Duration d = Durations.parse(value);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(value.strip() + " is out of range " + Durations.format(min) + ".." + Durations.format(max));
        }
        return d;
    }

    /** {@code 0} (off), or a duration in range. */
    private static Duration zeroOrDurationIn(String value, Duration min, Duration max) {
        return value.strip().equals("0") ? Duration.ZERO : durationIn(value, min, max);
    }

    private static boolean bool(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("\"" + value + "\" is not true or false");
        };
    }

    private static PasswordHash passwordHash(String value) {
        try {
            return PasswordHash.parse(value.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + "; make one with `shoal-controller hash-password`");
        }
    }

    private static String userName(String value) {
        if (value.contains(":") || value.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("must not contain ':' or control characters (HTTP Basic cannot carry them)");
        }
        return value;
    }

    private static Set<String> userList(String value) {
        Set<String> out = new java.util.TreeSet<>();
        for (String u : value.split(",")) {
            String name = u.strip();
            if (name.isEmpty() || name.contains(":") || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("\"" + value + "\" is not a comma-separated list of user names");
            }
            out.add(name);
        }
        return Set.copyOf(out);
    }

    private static Path path(String value) {
        try {
            return Path.of(value.strip()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("\"" + value + "\" is not a valid path: " + e.getReason());
        }
    }

    /** A base URL: http(s), a host, no query or fragment; a trailing slash is dropped. */
    private static URI baseUrl(String value) {
        URI u = httpUrl(value);
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("\"" + value + "\" must not have a query or fragment");
        }
        String s = u.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    private static URI httpUrl(String value) {
        try {
            URI u = new URI(value.strip());
            if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("\"" + value + "\" is not an http(s):// URL with a host");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("\"" + value + "\" is not a URL: " + e.getReason());
        }
    }
}

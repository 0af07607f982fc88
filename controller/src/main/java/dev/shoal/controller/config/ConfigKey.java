package dev.shoal.controller.config;

import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every configuration key the controller understands: the keys of 036 §3, plus the few that DESIGN.md adds.
 * Each is read from the environment, from an env file, and as a {@code --kebab-case} flag.
 */
public enum ConfigKey {
    CONTROLLER_HTTP_ADDR("Listen address, HOST:PORT or :PORT for all interfaces", "127.0.0.1:8080"),
    CONTROLLER_URL("Base URL BMCs and agents reach the controller at, e.g. https://shoal.example.org:8443 "
            + "(default: from CONTROLLER_HTTP_ADDR, which only works when that is a routable address)", null),
    TLS_CERT_FILE("PEM certificate chain; serve HTTPS when set (with TLS_KEY_FILE)", null),
    TLS_KEY_FILE("PEM private key for TLS_CERT_FILE", null),
    AUTH_MODE("API authentication: basic, or none (local mode only)", "basic"),
    BASIC_USER("API user name for AUTH_MODE=basic", "admin"),
    BASIC_PASS_HASH("bcrypt ($2y$/$2b$/$2a$) or argon2id PHC hash of the API password", null, true),
    DB_PATH("SQLite database file (default STORAGE_ROOT/db/provisioner.db)", null),
    STORAGE_ROOT("Data directory holding db/, tasks/, oci/, static/isos/", "./var/shoal"),
    TASK_ISO_DIR("Per-job task ISOs (default STORAGE_ROOT/tasks)", null),
    STATIC_DIR("Files served read-only under /static/ (default STORAGE_ROOT/static)", null),
    MAINTENANCE_ISO_URL("URL BMCs fetch the maintenance ISO from", null),
    ENABLE_REGISTRY("Serve the embedded OCI registry at /v2/", "false"),
    REGISTRY_STORAGE("Registry blob and manifest storage (default STORAGE_ROOT/oci)", null),
    REGISTRY_AUTH_MODE("Registry authentication: basic, or none (local mode only)", "basic"),
    REGISTRY_USERS_FILE("htpasswd file (bcrypt) of registry users", null),
    REGISTRY_PUSH_USERS("Comma-separated registry users who may push (default: every user in REGISTRY_USERS_FILE)", null),
    REGISTRY_GC_INTERVAL("How often the controller collects unreferenced registry blobs and abandoned uploads; "
            + "0 disables the periodic run (`registry gc` still works)", "6h"),
    REGISTRY_GC_GRACE("Unreferenced registry blobs, links and manifests younger than this are kept: "
            + "a push must finish within it", "1h"),
    REGISTRY_UPLOAD_TIMEOUT("A registry upload whose data has not changed for this long is abandoned and removed", "24h"),
    REGISTRY_RETAIN_TAGS("Keep the newest N tags of each registry repository, removing older tags and the "
            + "manifests only they kept, at each GC; 0 keeps every tag", "0"),
    WORKER_CONCURRENCY("Job steps run at once; 0 stops picking new work", "4"),
    REDFISH_TIMEOUT("Timeout of one Redfish request", "30s"),
    REDFISH_RETRIES("Retries of a failed Redfish request", "5"),
    JOB_LEASE_TTL("How long a worker holds a job step before another may take it over", "10m"),
    JOB_STUCK_TIMEOUT("A job with no progress for this long fails", "4h"),
    AGENT_BOOT_TIMEOUT("A job fails when its agent has not called back this long after power-on", "30m"),
    AGENT_HEARTBEAT_TIMEOUT("A job fails when its agent, once heard from, is silent this long", "2m"),
    DRAIN("true: start no queued job (running ones finish); re-read on SIGHUP", "false"),
    WEBHOOK_SECRET("Secret the per-job agent signing keys are derived from", null, true),
    WEBHOOK_SECRET_PREVIOUS("Previous WEBHOOK_SECRET, still accepted during a rotation", null, true),
    SIGNED_URL_SECRET("Secret that signs /media/tasks URLs", null, true),
    JOB_RETENTION_DAYS("Days a finished job's task ISO is kept", "14"),
    LOG_LEVEL("trace, debug, info, warn or error", "info"),
    SHOAL_MODE("local or production; local (loopback only, generated secrets) is the default "
            + "when no configuration is given at all", null);

    private final String description;
    private final String defaultValue;
    private final boolean secret;

    ConfigKey(String description, String defaultValue) {
        this(description, defaultValue, false);
    }

    ConfigKey(String description, String defaultValue, boolean secret) {
        this.description = description;
        this.defaultValue = defaultValue;
        this.secret = secret;
    }

    public String description() {
        return description;
    }

    public Optional<String> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** Secret values are never echoed: not in errors, logs, nor {@code config check}. */
    public boolean secret() {
        return secret;
    }

    public String flag() {
        return "--" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<ConfigKey> byName(String name) {
        return Stream.of(values()).filter(k -> k.name().equals(name)).findFirst();
    }
}

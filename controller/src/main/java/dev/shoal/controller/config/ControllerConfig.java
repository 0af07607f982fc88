package dev.shoal.controller.config;

import dev.shoal.controller.auth.PasswordHash;
import dev.shoal.controller.secrets.Secret;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The validated configuration; built only by {@link ConfigLoader}, so every instance is consistent. */
public record ControllerConfig(
        Mode mode,
        ListenAddress listen,
        Optional<TlsFiles> tls,
        ApiAuth apiAuth,
        StoragePaths paths,
        Optional<URI> maintenanceIsoUrl,
        RegistrySettings registry,
        int workerConcurrency,
        Duration redfishTimeout,
        int redfishRetries,
        Duration jobLeaseTtl,
        Duration jobStuckTimeout,
        Secrets secrets,
        int jobRetentionDays,
        String logLevel,
        Agents agents,
        boolean drain) {

    public record TlsFiles(Path certFile, Path keyFile) {
    }

    /** hash is empty only in local mode before the generated admin password is in place, or with AUTH_MODE=none. */
    public record ApiAuth(AuthMode mode, String user, Optional<PasswordHash> passHash) {
    }

    public record StoragePaths(Path storageRoot, Path dbPath, Path taskIsoDir, Path staticDir) {
        public Path isoDir() {
            return staticDir.resolve("isos");
        }

        public Path keysDir() {
            return storageRoot.resolve("keys");
        }
    }

    /**
     * @param controllerUrl empty: derived from the listener once it is bound
     */
    public record Agents(Optional<URI> controllerUrl, Duration bootTimeout, Duration heartbeatTimeout) {
    }

    /** @param pushUsers empty: every user of the users file may push */
    public record RegistrySettings(boolean enabled, Path storage, AuthMode authMode, Optional<Path> usersFile,
                                   Optional<java.util.Set<String>> pushUsers, RegistryGc gc) {
    }

    /**
     * @param interval   between periodic runs in the controller; zero: no periodic run
     * @param retainTags newest tags kept per repository; 0: every tag
     */
    public record RegistryGc(Duration interval, Duration grace, Duration uploadTimeout, int retainTags) {
    }

    /** Empty only in local mode, until the local bootstrap generates and persists them. */
    public record Secrets(Optional<Secret> webhook, Optional<Secret> webhookPrevious, Optional<Secret> signedUrl) {
    }

    public ControllerConfig withApiAuth(ApiAuth auth) {
        return new ControllerConfig(mode, listen, tls, auth, paths, maintenanceIsoUrl, registry, workerConcurrency,
                redfishTimeout, redfishRetries, jobLeaseTtl, jobStuckTimeout, secrets, jobRetentionDays, logLevel, agents, drain);
    }

    public ControllerConfig withSecrets(Secrets s) {
        return new ControllerConfig(mode, listen, tls, apiAuth, paths, maintenanceIsoUrl, registry, workerConcurrency,
                redfishTimeout, redfishRetries, jobLeaseTtl, jobStuckTimeout, s, jobRetentionDays, logLevel, agents, drain);
    }
}

package dev.shoal.controller.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "Example /etc/shoal/shoal.env" of 036 §3, copied verbatim into {@code config/036-example.env}: it parses to
 * exactly what it says, it is refused as it stands (its secrets are placeholders), and with real secrets it loads.
 */
class EnvFile036ExampleTest {

    /** The example, line by line, as 036 §3 prints it. */
    private static final List<Map.Entry<ConfigKey, String>> EXAMPLE = List.of(
            Map.entry(ConfigKey.CONTROLLER_HTTP_ADDR, ":8080"),
            Map.entry(ConfigKey.DB_PATH, "/var/lib/shoal/db/provisioner.db"),
            Map.entry(ConfigKey.STORAGE_ROOT, "/var/lib/shoal"),
            Map.entry(ConfigKey.TASK_ISO_DIR, "/var/lib/shoal/tasks"),
            Map.entry(ConfigKey.STATIC_DIR, "/var/lib/shoal/static"),
            Map.entry(ConfigKey.MAINTENANCE_ISO_URL, "https://controller.example.org/static/isos/bootc-maintenance.iso"),
            Map.entry(ConfigKey.ENABLE_REGISTRY, "true"),
            Map.entry(ConfigKey.REGISTRY_STORAGE, "/var/lib/shoal/oci"),
            Map.entry(ConfigKey.AUTH_MODE, "basic"),
            Map.entry(ConfigKey.BASIC_USER, "admin"),
            Map.entry(ConfigKey.BASIC_PASS_HASH, "$2y$12$REDACTED_HASH"),
            Map.entry(ConfigKey.REGISTRY_AUTH_MODE, "basic"),
            Map.entry(ConfigKey.REGISTRY_USERS_FILE, "/etc/shoal/registry-users.htpasswd"),
            Map.entry(ConfigKey.WEBHOOK_SECRET, "REDACTED_LONG_RANDOM"),
            Map.entry(ConfigKey.SIGNED_URL_SECRET, "REDACTED_LONG_RANDOM"),
            Map.entry(ConfigKey.WORKER_CONCURRENCY, "4"),
            Map.entry(ConfigKey.REDFISH_TIMEOUT, "30s"),
            Map.entry(ConfigKey.REDFISH_RETRIES, "5"),
            Map.entry(ConfigKey.JOB_LEASE_TTL, "10m"),
            Map.entry(ConfigKey.JOB_STUCK_TIMEOUT, "4h"),
            Map.entry(ConfigKey.JOB_RETENTION_DAYS, "14"),
            Map.entry(ConfigKey.LOG_LEVEL, "info"));

    private static final String PASSWORD = "an admin password for 036";

    @TempDir
    Path tmp;

    @Test
    void theResourceIsTheExampleVerbatim() throws IOException {
        List<String> lines = Files.readAllLines(example(), StandardCharsets.UTF_8);

        assertThat(lines).containsExactlyElementsOf(
                EXAMPLE.stream().map(e -> e.getKey().name() + "=" + e.getValue()).toList());
    }

    @Test
    void envFileReadsExactlyTheExampleKeysAndValuesWithDollarsKept() {
        Path file = example();

        Map<ConfigKey, Setting> settings = EnvFile.read(file);

        assertThat(new ArrayList<>(settings.keySet())).containsExactlyElementsOf(EXAMPLE.stream().map(Map.Entry::getKey).toList());
        for (int i = 0; i < EXAMPLE.size(); i++) {
            Setting s = settings.get(EXAMPLE.get(i).getKey());
            assertThat(s.value()).as("%s", s.key()).isEqualTo(EXAMPLE.get(i).getValue());
            assertThat(s.origin()).isEqualTo(file + " line " + (i + 1));
        }
        assertThat(settings.get(ConfigKey.BASIC_PASS_HASH).value()).isEqualTo("$2y$12$REDACTED_HASH").hasSize(20);
    }

    @Test
    void collectGivesTheSameSettingsAndTheEnvironmentDoesNotAddAny() {
        Path file = example();

        Map<ConfigKey, Setting> settings = ConfigSources.collect(Map.of("PATH", "/usr/bin", "HOME", "/var/lib/shoal"),
                Optional.of(file), Map.of());

        assertThat(settings).hasSize(EXAMPLE.size());
        for (Map.Entry<ConfigKey, String> e : EXAMPLE) {
            assertThat(settings.get(e.getKey()).value()).as("%s", e.getKey()).isEqualTo(e.getValue());
        }
        // Keys the example leaves out are not set, so their defaults apply.
        assertThat(settings).doesNotContainKeys(ConfigKey.TLS_CERT_FILE, ConfigKey.TLS_KEY_FILE,
                ConfigKey.WEBHOOK_SECRET_PREVIOUS, ConfigKey.SHOAL_MODE);
    }

    @Test
    void theExampleAsItStandsIsRefusedNamingEachPlaceholderOnce() {
        Path file = example();

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(ConfigSources.collect(Map.of(), Optional.of(file), Map.of())));

        assertThat(e).isNotNull();
        List<ConfigProblem> problems = e.problems();
        List<String> expected = new ArrayList<>(List.of("BASIC_PASS_HASH", "WEBHOOK_SECRET", "SIGNED_URL_SECRET"));
        if (!Files.isReadable(Path.of("/etc/shoal/registry-users.htpasswd"))) {
            // The only other thing wrong on a machine that is not a Shoal host: the registry's users file is not there.
            expected.add("REGISTRY_USERS_FILE");
        }
        assertThat(problems).extracting(ConfigLoaderTest::keyName).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(e.getMessage().lines()).hasSize(problems.size());
        for (ConfigProblem p : problems) {
            assertThat(p.key()).as("origin of %s", p).matches("[A-Z_]+ \\(\\Q" + file + "\\E line \\d+\\)");
            assertThat(p.toString()).doesNotContain("REDACTED").doesNotContain("$2y$12$");
        }
        assertThat(problem(problems, "BASIC_PASS_HASH").key()).isEqualTo("BASIC_PASS_HASH (" + file + " line 11)");
        assertThat(problem(problems, "WEBHOOK_SECRET").key()).isEqualTo("WEBHOOK_SECRET (" + file + " line 14)");
        assertThat(problem(problems, "WEBHOOK_SECRET").message()).contains("placeholder");
        assertThat(problem(problems, "SIGNED_URL_SECRET").key()).isEqualTo("SIGNED_URL_SECRET (" + file + " line 15)");
        assertThat(problem(problems, "SIGNED_URL_SECRET").message()).contains("placeholder");
        assertThat(e.getMessage()).doesNotContain("REDACTED");
    }

    @Test
    void theExampleWithRealSecretsLoadsAndEveryFieldMatchesTheFile() throws IOException {
        String hash = ConfigLoaderTest.htpasswdBcrypt("admin", PASSWORD);
        String webhook = ConfigLoaderTest.randomSecret();
        String signedUrl = ConfigLoaderTest.randomSecret();
        Path users = tmp.resolve("registry-users.htpasswd");
        ConfigLoaderTest.htpasswdFile(users, "pusher", "a registry password");
        assertThat(webhook).hasSize(48).isNotEqualTo(signedUrl);

        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(example(), StandardCharsets.UTF_8)) {
            String key = line.substring(0, line.indexOf('='));
            lines.add(switch (key) {
                case "BASIC_PASS_HASH" -> key + "=" + hash;
                case "WEBHOOK_SECRET" -> key + "=" + webhook;
                case "SIGNED_URL_SECRET" -> key + "=" + signedUrl;
                case "REGISTRY_USERS_FILE" -> key + "=" + users;
                default -> line;
            });
        }
        Path file = tmp.resolve("shoal.env");
        Files.write(file, lines, StandardCharsets.UTF_8);

        ControllerConfig config = ConfigLoader.load(ConfigSources.collect(Map.of(), Optional.of(file), Map.of()));

        assertThat(config.mode()).isEqualTo(Mode.PRODUCTION);
        assertThat(config.listen()).isEqualTo(new ListenAddress("", 8080));
        assertThat(config.listen().allInterfaces()).isTrue();
        assertThat(config.listen().isLoopback()).isFalse();
        assertThat(config.listen().port()).isEqualTo(8080);
        assertThat(config.tls()).isEmpty();
        assertThat(config.apiAuth().mode()).isEqualTo(AuthMode.BASIC);
        assertThat(config.apiAuth().user()).isEqualTo("admin");
        assertThat(config.apiAuth().passHash()).hasValueSatisfying(h -> {
            assertThat(h.algorithm()).isEqualTo("bcrypt");
            assertThat(h.matches(PASSWORD.toCharArray())).isTrue();
            assertThat(h.matches("not the password".toCharArray())).isFalse();
        });
        assertThat(config.paths().storageRoot()).isEqualTo(Path.of("/var/lib/shoal"));
        assertThat(config.paths().dbPath()).isEqualTo(Path.of("/var/lib/shoal/db/provisioner.db"));
        assertThat(config.paths().taskIsoDir()).isEqualTo(Path.of("/var/lib/shoal/tasks"));
        assertThat(config.paths().staticDir()).isEqualTo(Path.of("/var/lib/shoal/static"));
        assertThat(config.paths().isoDir()).isEqualTo(Path.of("/var/lib/shoal/static/isos"));
        assertThat(config.maintenanceIsoUrl())
                .contains(URI.create("https://controller.example.org/static/isos/bootc-maintenance.iso"));
        assertThat(config.registry().enabled()).isTrue();
        assertThat(config.registry().storage()).isEqualTo(Path.of("/var/lib/shoal/oci"));
        assertThat(config.registry().authMode()).isEqualTo(AuthMode.BASIC);
        assertThat(config.registry().usersFile()).contains(users);
        assertThat(config.workerConcurrency()).isEqualTo(4);
        assertThat(config.redfishTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.redfishRetries()).isEqualTo(5);
        assertThat(config.jobLeaseTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.jobStuckTimeout()).isEqualTo(Duration.ofHours(4));
        assertThat(config.secrets().webhook()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo(webhook));
        assertThat(config.secrets().webhookPrevious()).isEmpty();
        assertThat(config.secrets().signedUrl()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo(signedUrl));
        assertThat(config.jobRetentionDays()).isEqualTo(14);
        assertThat(config.logLevel()).isEqualTo("info");
        assertThat(config.toString()).doesNotContain(webhook).doesNotContain(signedUrl).doesNotContain(hash);
    }

    @Test
    void theRealExampleStillFailsWhenOnlyOneSecretIsLeftAsAPlaceholder() throws IOException {
        String hash = ConfigLoaderTest.htpasswdBcrypt("admin", PASSWORD);
        Path users = tmp.resolve("registry-users.htpasswd");
        ConfigLoaderTest.htpasswdFile(users, "pusher", "a registry password");
        Path file = tmp.resolve("shoal.env");
        Files.writeString(file, Files.readString(example())
                .replace("$2y$12$REDACTED_HASH", hash)
                .replace("/etc/shoal/registry-users.htpasswd", users.toString())
                .replaceFirst("WEBHOOK_SECRET=REDACTED_LONG_RANDOM", "WEBHOOK_SECRET=" + ConfigLoaderTest.randomSecret()));

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(ConfigSources.collect(Map.of(), Optional.of(file), Map.of())));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("SIGNED_URL_SECRET (" + file + " line 15)");
            assertThat(p.toString()).doesNotContain("REDACTED");
        });
    }

    private static ConfigProblem problem(List<ConfigProblem> problems, String key) {
        return problems.stream().filter(p -> ConfigLoaderTest.keyName(p).equals(key)).findFirst().orElseThrow();
    }

    private static Path example() {
        URL url = EnvFile036ExampleTest.class.getResource("/config/036-example.env");
        assertThat(url).as("test resource config/036-example.env").isNotNull();
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.shoal.controller.config;

import dev.shoal.controller.testing.DebianTools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ConfigSources} and {@link ConfigLoader} on real files: every malformed value is exactly one problem naming
 * its key, layering, defaults, local and production mode, and secrets that never show up in a message.
 */
class ConfigLoaderTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static String realHash;

    @TempDir
    Path tmp;

    @BeforeAll
    static void makeHash() {
        realHash = htpasswdBcrypt("admin", PASSWORD);
    }

    // ---------------------------------------------------------------------------------------------------------
    // One case per bad value: exactly one problem, naming the key.
    // ---------------------------------------------------------------------------------------------------------

    /**
     * A bad setting on top of a valid local-mode base (SHOAL_MODE=local, STORAGE_ROOT in a temp dir).
     * {@code {tmp}} in a value or in the file is the test's temp dir; {@code file} is written as an env file.
     */
    record Case(Map<String, String> env, String file, String expectedKey) {
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                // durations
                bad("REDFISH_TIMEOUT", "10"),
                bad("REDFISH_TIMEOUT", "10x"),
                bad("REDFISH_TIMEOUT", "-5s"),
                bad("REDFISH_TIMEOUT", "1.5s"),
                bad("REDFISH_TIMEOUT", "30 s"),
                bad("REDFISH_TIMEOUT", "30S"),
                bad("REDFISH_TIMEOUT", "s"),
                bad("REDFISH_TIMEOUT", "500ms"),   // below 1s
                bad("REDFISH_TIMEOUT", "0s"),
                bad("REDFISH_TIMEOUT", "31m"),     // above 30m
                bad("JOB_LEASE_TTL", "10"),
                bad("JOB_LEASE_TTL", "10x"),
                bad("JOB_LEASE_TTL", "-5s"),
                bad("JOB_LEASE_TTL", "0s"),        // below 1s
                bad("JOB_LEASE_TTL", "2d"),        // above 1d
                bad("JOB_LEASE_TTL", "ten minutes"),
                bad("JOB_STUCK_TIMEOUT", "4"),
                bad("JOB_STUCK_TIMEOUT", "4hours"),
                bad("JOB_STUCK_TIMEOUT", "1h 30m"),
                bad("JOB_STUCK_TIMEOUT", "1.5h"),
                bad("JOB_STUCK_TIMEOUT", "-4h"),
                bad("JOB_STUCK_TIMEOUT", "1s"),    // below 2s
                bad("JOB_STUCK_TIMEOUT", "31d"),   // above 30d
                bad("JOB_STUCK_TIMEOUT", "99999999999999999999s"),  // not a long
                bad("JOB_STUCK_TIMEOUT", "999999999999999999d"),    // a long, but too many seconds for a Duration
                bad("JOB_STUCK_TIMEOUT", "9223372036854775807s9223372036854775807s"), // the sum overflows
                // the two durations together
                badPair("JOB_LEASE_TTL", "4h", "JOB_STUCK_TIMEOUT", "4h", "JOB_LEASE_TTL"),
                badPair("JOB_LEASE_TTL", "10m", "JOB_STUCK_TIMEOUT", "5m", "JOB_LEASE_TTL"),
                badPair("JOB_LEASE_TTL", "5h", "JOB_STUCK_TIMEOUT", null, "JOB_LEASE_TTL"),
                bad("AGENT_BOOT_TIMEOUT", "1s"),   // below 2s
                bad("AGENT_BOOT_TIMEOUT", "2d"),   // above 1d
                bad("AGENT_HEARTBEAT_TIMEOUT", "5h"),
                bad("AGENT_HEARTBEAT_TIMEOUT", "ten"),
                bad("CONTROLLER_URL", "ftp://shoal.example.org"),
                bad("CONTROLLER_URL", "https://shoal.example.org/?x=1"),
                bad("CONTROLLER_URL", "shoal.example.org:8080"),
                bad("DRAIN", "soon"),
                bad("REGISTRY_PUSH_USERS", "alice,,bob"),
                bad("REGISTRY_PUSH_USERS", "alice:x"),
                bad("REGISTRY_GC_INTERVAL", "6"),
                bad("REGISTRY_GC_INTERVAL", "0s"),     // off is written 0
                bad("REGISTRY_GC_INTERVAL", "500ms"),  // below 1s
                bad("REGISTRY_GC_INTERVAL", "31d"),
                bad("REGISTRY_GC_INTERVAL", "-6h"),
                bad("REGISTRY_GC_GRACE", "0"),         // a grace of nothing would collect pushes in progress
                bad("REGISTRY_GC_GRACE", "500ms"),
                bad("REGISTRY_GC_GRACE", "31d"),
                bad("REGISTRY_GC_GRACE", "an hour"),
                bad("REGISTRY_UPLOAD_TIMEOUT", "0s"),
                bad("REGISTRY_UPLOAD_TIMEOUT", "24"),
                bad("REGISTRY_UPLOAD_TIMEOUT", "31d"),
                bad("REGISTRY_RETAIN_TAGS", "-1"),
                bad("REGISTRY_RETAIN_TAGS", "ten"),
                bad("REGISTRY_RETAIN_TAGS", "1000001"),
                // whole numbers
                bad("WORKER_CONCURRENCY", "four"),
                bad("WORKER_CONCURRENCY", "4.5"),
                bad("WORKER_CONCURRENCY", "-1"),
                bad("WORKER_CONCURRENCY", "1025"),
                bad("WORKER_CONCURRENCY", "99999999999"),
                bad("WORKER_CONCURRENCY", "0x10"),
                bad("REDFISH_RETRIES", "five"),
                bad("REDFISH_RETRIES", "-1"),
                bad("REDFISH_RETRIES", "101"),
                bad("JOB_RETENTION_DAYS", "2w"),
                bad("JOB_RETENTION_DAYS", "-1"),
                bad("JOB_RETENTION_DAYS", "3651"),
                bad("JOB_RETENTION_DAYS", "14d"),
                // booleans
                bad("ENABLE_REGISTRY", "maybe"),
                bad("ENABLE_REGISTRY", "2"),
                bad("ENABLE_REGISTRY", "truee"),
                bad("ENABLE_REGISTRY", "enabled"),
                // enums
                bad("AUTH_MODE", "digest"),
                bad("AUTH_MODE", "basic,none"),
                bad("REGISTRY_AUTH_MODE", "token"),
                bad("REGISTRY_AUTH_MODE", "htpasswd"),
                bad("LOG_LEVEL", "verbose"),
                bad("LOG_LEVEL", "warning"),
                bad("LOG_LEVEL", "fatal"),
                bad("SHOAL_MODE", "prod"),
                bad("SHOAL_MODE", "dev"),
                bad("SHOAL_MODE", "development"),
                // listen address
                bad("CONTROLLER_HTTP_ADDR", "8080"),
                bad("CONTROLLER_HTTP_ADDR", "localhost"),
                bad("CONTROLLER_HTTP_ADDR", "127.0.0.1:http"),
                bad("CONTROLLER_HTTP_ADDR", "127.0.0.1:"),
                bad("CONTROLLER_HTTP_ADDR", "127.0.0.1:70000"),
                bad("CONTROLLER_HTTP_ADDR", "127.0.0.1:-1"),
                bad("CONTROLLER_HTTP_ADDR", "::1:8080"),
                bad("CONTROLLER_HTTP_ADDR", "0.0.0.0:8080"),  // not loopback, and the base is local mode
                bad("CONTROLLER_HTTP_ADDR", ":8080"),
                bad("CONTROLLER_HTTP_ADDR", "[::]:8080"),
                // URLs
                bad("MAINTENANCE_ISO_URL", "ftp://controller.example.org/static/isos/bootc-maintenance.iso"),
                bad("MAINTENANCE_ISO_URL", "file:///var/lib/shoal/static/isos/bootc-maintenance.iso"),
                bad("MAINTENANCE_ISO_URL", "controller.example.org/static/isos/bootc-maintenance.iso"),
                bad("MAINTENANCE_ISO_URL", "/static/isos/bootc-maintenance.iso"),
                bad("MAINTENANCE_ISO_URL", "https://"),
                bad("MAINTENANCE_ISO_URL", "http:///static/isos/bootc-maintenance.iso"),
                bad("MAINTENANCE_ISO_URL", "https://controller example.org/x.iso"),
                // paths
                bad("STORAGE_ROOT", "/var/lib/sh\u0000oal"),
                bad("DB_PATH", "/var/lib/shoal/db/\u0000.db"),
                bad("TASK_ISO_DIR", "tasks\u0000"),
                bad("STATIC_DIR", "\u0000static"),
                bad("REGISTRY_STORAGE", "/var/lib/shoal/\u0000oci"),
                // user and password hash
                bad("BASIC_USER", "ad:min"),
                bad("BASIC_USER", "admin\u0007"),
                bad("BASIC_PASS_HASH", "hunter2-plaintext-password"),
                bad("BASIC_PASS_HASH", "$2y$12$REDACTED_HASH"),
                bad("BASIC_PASS_HASH", "$2x$05$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234"),
                bad("BASIC_PASS_HASH", "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="),
                bad("BASIC_PASS_HASH", "$apr1$abcdefgh$abcdefghijklmnopqrstuv"),
                bad("BASIC_PASS_HASH", "$argon2id$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ"),
                // TLS: one without the other, or a file that is not there
                files(Map.of("TLS_CERT_FILE", "{tmp}/cert.pem"), "TLS_KEY_FILE"),
                files(Map.of("TLS_KEY_FILE", "{tmp}/key.pem"), "TLS_CERT_FILE"),
                files(Map.of("TLS_CERT_FILE", "{tmp}/missing-cert.pem", "TLS_KEY_FILE", "{tmp}/key.pem"), "TLS_CERT_FILE"),
                files(Map.of("TLS_CERT_FILE", "{tmp}/cert.pem", "TLS_KEY_FILE", "{tmp}/missing-key.pem"), "TLS_KEY_FILE"),
                // the registry's users file
                files(Map.of("ENABLE_REGISTRY", "true"), "REGISTRY_USERS_FILE"),
                files(Map.of("ENABLE_REGISTRY", "true", "REGISTRY_USERS_FILE", "{tmp}/missing.htpasswd"), "REGISTRY_USERS_FILE"),
                // empty values, for every key
                bad("CONTROLLER_HTTP_ADDR", ""),
                bad("TLS_CERT_FILE", ""),
                bad("TLS_KEY_FILE", ""),
                bad("AUTH_MODE", ""),
                bad("BASIC_USER", ""),
                bad("BASIC_PASS_HASH", ""),
                bad("DB_PATH", ""),
                bad("STORAGE_ROOT", " "),
                bad("TASK_ISO_DIR", ""),
                bad("STATIC_DIR", ""),
                bad("MAINTENANCE_ISO_URL", ""),
                bad("ENABLE_REGISTRY", ""),
                bad("REGISTRY_STORAGE", ""),
                bad("REGISTRY_AUTH_MODE", ""),
                bad("REGISTRY_USERS_FILE", ""),
                bad("WORKER_CONCURRENCY", ""),
                bad("REDFISH_TIMEOUT", ""),
                bad("REDFISH_RETRIES", ""),
                bad("JOB_LEASE_TTL", ""),
                bad("JOB_STUCK_TIMEOUT", ""),
                bad("WEBHOOK_SECRET", ""),
                bad("WEBHOOK_SECRET_PREVIOUS", ""),
                bad("SIGNED_URL_SECRET", ""),
                bad("JOB_RETENTION_DAYS", ""),
                bad("LOG_LEVEL", "\t"),
                bad("SHOAL_MODE", ""),
                // unknown keys with our prefix in the environment
                argumentSet("unknown SHOAL_FOO in the environment",
                        new Case(Map.of("SHOAL_FOO", "1"), null, "SHOAL_FOO")),
                argumentSet("unknown SHOAL_MODES (typo) in the environment",
                        new Case(Map.of("SHOAL_MODES", "production"), null, "SHOAL_MODES")),
                // the env file
                inFile("unknown key in the env file", "LOG_LEVEL=info\nFOO=bar\n", "FOO"),
                inFile("unknown SHOAL_ key in the env file", "SHOAL_FOO=1\n", "SHOAL_FOO"),
                inFile("lower-case key in the env file", "log_level=debug\n", "log_level"),
                inFile("misspelt secret key in the env file", "WEBHOOK_SECRTE=9f8e7d6c5b4a39281706f5e4d3c2b1a0\n",
                        "WEBHOOK_SECRTE"),
                inFile("line without =", "LOG_LEVEL=info\nLOG_LEVEL info\n", "{file} line 2"),
                inFile("line starting with =", "# comment\n=info\n", "{file} line 2"),
                inFile("name that is not a variable name", "\n1LOG_LEVEL=info\n", "{file} line 2"),
                inFile("name with a dash", "LOG-LEVEL=info\n", "{file} line 1"),
                inFile("unclosed double quote", "LOG_LEVEL=\"info\n", "LOG_LEVEL"),
                inFile("unclosed single quote", "LOG_LEVEL='info\n", "LOG_LEVEL"),
                inFile("bad value in the env file", "JOB_LEASE_TTL=10x\n", "JOB_LEASE_TTL"),
                inFile("empty value in the env file", "REDFISH_RETRIES=\n", "REDFISH_RETRIES"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void eachBadValueIsExactlyOneProblemNamingTheKey(Case c) throws IOException {
        Files.writeString(tmp.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\n");
        Files.writeString(tmp.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");
        Map<String, String> env = localBase();
        c.env().forEach((k, v) -> env.put(k, v.replace("{tmp}", tmp.toString())));
        Optional<Path> file = Optional.empty();
        String fileName = tmp.resolve("shoal.env").toString();
        if (c.file() != null) {
            Files.writeString(Path.of(fileName), c.file());
            file = Optional.of(Path.of(fileName));
        }
        String expectedKey = c.expectedKey().replace("{file}", fileName);

        List<ConfigProblem> problems = problemsOf(env, file, Map.of());

        assertThat(problems).as("problems").hasSize(1);
        ConfigProblem p = problems.getFirst();
        assertThat(keyName(p)).as("key of %s", p).isEqualTo(expectedKey);
        assertThat(p.message()).isNotBlank();
        assertThat(p.toString()).doesNotContain("\n").startsWith(p.key() + ": ");
        if (c.file() != null && !expectedKey.contains(" line ")) {
            assertThat(p.key()).as("origin").matches("\\Q" + expectedKey + " (" + fileName + " line \\E\\d+\\)");
        }
        c.env().forEach((k, v) -> {
            if (ConfigKey.byName(k).map(ConfigKey::secret).orElse(false) && !v.isBlank()) {
                assertThat(p.toString()).doesNotContain(v);
            }
        });
    }

    /** The same bad values given as flags are labelled with the flag they came from. */
    /** The cases of {@link #badValues} that are one bad value of one known key, which a flag can carry too. */
    static Stream<Arguments> badFlagValues() {
        return badValues().filter(a -> {
            Case c = (Case) a.get()[0];
            return c.file() == null && c.env().size() == 1 && c.env().containsKey(c.expectedKey())
                    && ConfigKey.byName(c.expectedKey()).isPresent();
        });
    }

    @Test
    void mostBadValuesAreAlsoTriedAsFlags() {
        assertThat(badFlagValues().count()).isGreaterThan(100);
    }

    @ParameterizedTest
    @MethodSource("badFlagValues")
    void badFlagValuesNameTheFlag(Case c) {
        ConfigKey key = ConfigKey.byName(c.env().keySet().iterator().next()).orElseThrow();
        Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        flags.put(key, c.env().get(key.name()));
        Map<String, String> env = localBase();
        if (key == ConfigKey.STORAGE_ROOT || key == ConfigKey.SHOAL_MODE) {
            env.remove(key.name()); // the flag would win anyway; keep the environment from also naming it
        }

        List<ConfigProblem> problems = problemsOf(env, Optional.empty(), flags);

        assertThat(problems).hasSize(1);
        assertThat(problems.getFirst().key()).isEqualTo(key.name() + " (" + key.flag() + ")");
    }

    @Test
    void problemsOfSeveralKeysAreAllReportedAtOnce() {
        Map<String, String> env = localBase();
        env.put("JOB_LEASE_TTL", "10x");
        env.put("LOG_LEVEL", "loud");
        env.put("WORKER_CONCURRENCY", "many");

        assertThat(problemsOf(env, Optional.empty(), Map.of())).extracting(ConfigLoaderTest::keyName)
                .containsExactlyInAnyOrder("JOB_LEASE_TTL", "LOG_LEVEL", "WORKER_CONCURRENCY");
    }

    @Test
    void theLocalBaseOfTheBadValueCasesIsValid() {
        ControllerConfig config = load(localBase(), Optional.empty(), Map.of());

        assertThat(config.mode()).isEqualTo(Mode.LOCAL);
        assertThat(config.paths().storageRoot()).isEqualTo(tmp.resolve("root"));
    }

    @Test
    void aMissingEnvFileIsOneProblem() {
        Path missing = tmp.resolve("nope.env");

        List<ConfigProblem> problems = problemsOf(localBase(), Optional.of(missing), Map.of());

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("--env-file");
            assertThat(p.message()).contains(missing.toString());
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // The env file format
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void envFileKeepsDollarsAndStripsQuotesCommentsAndExport() throws IOException {
        Path file = tmp.resolve("shoal.env");
        Files.writeString(file, """
                # a comment
                ; another comment

                   export LOG_LEVEL=debug
                BASIC_PASS_HASH=$2y$05$abc$HOME
                BASIC_USER="op erator"
                STATIC_DIR='/srv/$static'
                TASK_ISO_DIR = /srv/tasks\s\s
                MAINTENANCE_ISO_URL="https://h.example.org/a \\"b\\""
                """);

        Map<ConfigKey, Setting> settings = EnvFile.read(file);

        assertThat(settings).containsOnlyKeys(ConfigKey.LOG_LEVEL, ConfigKey.BASIC_PASS_HASH, ConfigKey.BASIC_USER,
                ConfigKey.STATIC_DIR, ConfigKey.TASK_ISO_DIR, ConfigKey.MAINTENANCE_ISO_URL);
        assertThat(settings.get(ConfigKey.LOG_LEVEL).value()).isEqualTo("debug");
        assertThat(settings.get(ConfigKey.LOG_LEVEL).origin()).isEqualTo(file + " line 4");
        assertThat(settings.get(ConfigKey.BASIC_PASS_HASH).value()).isEqualTo("$2y$05$abc$HOME");
        assertThat(settings.get(ConfigKey.BASIC_USER).value()).isEqualTo("op erator");
        assertThat(settings.get(ConfigKey.STATIC_DIR).value()).isEqualTo("/srv/$static");
        assertThat(settings.get(ConfigKey.TASK_ISO_DIR).value()).isEqualTo("/srv/tasks");
        assertThat(settings.get(ConfigKey.MAINTENANCE_ISO_URL).value()).isEqualTo("https://h.example.org/a \"b\"");
    }

    @Test
    void envFileReportsEveryBadLineAtOnce() throws IOException {
        Path file = tmp.resolve("shoal.env");
        Files.writeString(file, "LOG_LEVEL=info\nNOPE\nFOO=1\nLOG_LEVEL='x\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> EnvFile.read(file));

        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly(
                file + " line 2", "FOO (" + file + " line 3)", "LOG_LEVEL (" + file + " line 4)");
        assertThat(e.getMessage().lines()).hasSize(3);
    }

    @Test
    void secretsInABadEnvFileLineAreNotQuoted() throws IOException {
        String secret = randomSecret();
        Path file = tmp.resolve("shoal.env");
        Files.writeString(file, "WEBHOOK_SECRET=\"" + secret + "\n" + "SIGNED_URL_SECRTE=" + secret + "\n" + secret + "\n");

        ConfigException e = catchThrowableOfType(ConfigException.class, () -> EnvFile.read(file));

        assertThat(e.problems()).hasSize(3);
        assertThat(e.getMessage()).doesNotContain(secret);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Layering and defaults
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
            // file,  env,   flag,  expected, origin
            "debug,   -,     -,     debug,    file",
            "debug,   warn,  -,     warn,     environment",
            "debug,   warn,  error, error,    --log-level",
            "-,       warn,  error, error,    --log-level",
            "debug,   -,     error, error,    --log-level",
            "-,       -,     -,     info,     -"})
    void laterSourcesWin(String inFile, String inEnv, String inFlag, String expected, String origin) throws IOException {
        Path file = tmp.resolve("shoal.env");
        Files.writeString(file, "# layered\nSHOAL_MODE=local\nSTORAGE_ROOT=" + tmp + "\n"
                + (inFile != null ? "LOG_LEVEL=" + inFile + "\n" : ""));
        Map<String, String> env = new LinkedHashMap<>();
        if (inEnv != null) {
            env.put("LOG_LEVEL", inEnv);
        }
        Map<ConfigKey, String> flags = inFlag != null ? Map.of(ConfigKey.LOG_LEVEL, inFlag) : Map.of();

        Map<ConfigKey, Setting> settings = ConfigSources.collect(env, Optional.of(file), flags);
        ControllerConfig config = ConfigLoader.load(settings);

        assertThat(config.logLevel()).isEqualTo(expected);
        if (origin == null) {
            assertThat(settings).doesNotContainKey(ConfigKey.LOG_LEVEL);
        } else {
            assertThat(settings.get(ConfigKey.LOG_LEVEL).origin())
                    .isEqualTo(origin.equals("file") ? file + " line 4" : origin);
        }
    }

    @Test
    void aBadValueThatALaterSourceOverridesIsNoProblem() throws IOException {
        Path file = tmp.resolve("shoal.env");
        Files.writeString(file, "SHOAL_MODE=local\nJOB_LEASE_TTL=10x\nREDFISH_RETRIES=many\n");
        Map<String, String> env = new LinkedHashMap<>(Map.of("STORAGE_ROOT", tmp.toString(), "JOB_LEASE_TTL", "20m"));

        ControllerConfig config = load(env, Optional.of(file), Map.of(ConfigKey.REDFISH_RETRIES, "7"));

        assertThat(config.jobLeaseTtl()).isEqualTo(Duration.ofMinutes(20));
        assertThat(config.redfishRetries()).isEqualTo(7);
    }

    @Test
    void theProblemSaysWhichSourceTheBadValueCameFrom() throws IOException {
        Path file = tmp.resolve("shoal.env");
        Files.writeString(file, "SHOAL_MODE=local\n\nJOB_LEASE_TTL=10x\n");
        Map<String, String> env = new LinkedHashMap<>(Map.of("STORAGE_ROOT", tmp.toString(), "REDFISH_RETRIES", "x"));

        List<ConfigProblem> problems = problemsOf(env, Optional.of(file), Map.of(ConfigKey.LOG_LEVEL, "loud"));

        assertThat(problems).extracting(ConfigProblem::key).containsExactlyInAnyOrder(
                "JOB_LEASE_TTL (" + file + " line 3)", "REDFISH_RETRIES", "LOG_LEVEL (--log-level)");
        assertThat(problems).extracting(ConfigProblem::toString).allSatisfy(s -> assertThat(s).doesNotContain("\n"));
        assertThat(problems).filteredOn(p -> p.key().startsWith("JOB_LEASE_TTL")).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("10x"));
    }

    @Test
    void pathsDefaultUnderStorageRoot() {
        Path root = tmp.resolve("data");
        Map<String, String> env = Map.of("SHOAL_MODE", "local", "STORAGE_ROOT", root.toString());

        ControllerConfig config = load(env, Optional.empty(), Map.of());

        assertThat(config.paths().storageRoot()).isEqualTo(root);
        assertThat(config.paths().dbPath()).isEqualTo(root.resolve("db/provisioner.db"));
        assertThat(config.paths().taskIsoDir()).isEqualTo(root.resolve("tasks"));
        assertThat(config.paths().staticDir()).isEqualTo(root.resolve("static"));
        assertThat(config.paths().isoDir()).isEqualTo(root.resolve("static/isos"));
        assertThat(config.registry().storage()).isEqualTo(root.resolve("oci"));
    }

    @Test
    void explicitPathsOverrideTheDefaultsAndRelativePathsAreMadeAbsolute() {
        Path root = tmp.resolve("data");
        Map<String, String> env = Map.of("SHOAL_MODE", "local", "STORAGE_ROOT", root + "/./sub/..",
                "DB_PATH", "/srv/db/x.db", "REGISTRY_STORAGE", "relative/oci");

        ControllerConfig config = load(env, Optional.empty(), Map.of());

        assertThat(config.paths().storageRoot()).isEqualTo(root);
        assertThat(config.paths().dbPath()).isEqualTo(Path.of("/srv/db/x.db"));
        assertThat(config.paths().taskIsoDir()).isEqualTo(root.resolve("tasks"));
        assertThat(config.registry().storage()).isEqualTo(Path.of("relative/oci").toAbsolutePath());
    }

    @Test
    void nothingConfiguredAtAllIsLocalModeWithTheDocumentedDefaults() {
        // Variables of other programs are not configuration.
        Map<String, String> env = Map.of("PATH", "/usr/bin:/bin", "HOME", "/home/op", "LANG", "C.UTF-8");

        Map<ConfigKey, Setting> settings = ConfigSources.collect(env, Optional.empty(), Map.of());
        ControllerConfig config = ConfigLoader.load(settings);

        assertThat(settings).isEmpty();
        assertThat(config.mode()).isEqualTo(Mode.LOCAL);
        assertThat(config.listen()).isEqualTo(new ListenAddress("127.0.0.1", 8080));
        assertThat(config.listen().isLoopback()).isTrue();
        assertThat(config.paths().storageRoot()).isEqualTo(Path.of("var/shoal").toAbsolutePath());
        assertThat(config.paths().dbPath()).isEqualTo(Path.of("var/shoal/db/provisioner.db").toAbsolutePath());
        assertThat(config.tls()).isEmpty();
        assertThat(config.apiAuth().mode()).isEqualTo(AuthMode.BASIC);
        assertThat(config.apiAuth().user()).isEqualTo("admin");
        assertThat(config.apiAuth().passHash()).isEmpty();
        assertThat(config.registry().enabled()).isFalse();
        assertThat(config.registry().gc()).isEqualTo(new ControllerConfig.RegistryGc(Duration.ofHours(6),
                Duration.ofHours(1), Duration.ofHours(24), 0));
        assertThat(config.maintenanceIsoUrl()).isEmpty();
        assertThat(config.workerConcurrency()).isEqualTo(4);
        assertThat(config.redfishTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.redfishRetries()).isEqualTo(5);
        assertThat(config.jobLeaseTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.jobStuckTimeout()).isEqualTo(Duration.ofHours(4));
        assertThat(config.jobRetentionDays()).isEqualTo(14);
        assertThat(config.logLevel()).isEqualTo("info");
        assertThat(config.secrets().webhook()).isEmpty();
        assertThat(config.secrets().signedUrl()).isEmpty();
    }

    @Test
    void everyDefaultValueIsItselfValid() {
        Map<String, String> env = new LinkedHashMap<>();
        for (ConfigKey k : ConfigKey.values()) {
            k.defaultValue().ifPresent(d -> env.put(k.name(), d));
        }
        env.put("SHOAL_MODE", "local");
        env.put("STORAGE_ROOT", tmp.toString());

        assertThat(load(env, Optional.empty(), Map.of()).mode()).isEqualTo(Mode.LOCAL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LOG_LEVEL=debug", "STORAGE_ROOT=/tmp/x", "WORKER_CONCURRENCY=4",
            "CONTROLLER_HTTP_ADDR=127.0.0.1:8080"})
    void anySettingAtAllMeansProduction(String setting) {
        String[] kv = setting.split("=", 2);

        List<ConfigProblem> problems = problemsOf(Map.of(kv[0], kv[1]), Optional.empty(), Map.of());

        // Production wants real credentials, so the same run that was fine in local mode now fails on them.
        assertThat(problems).extracting(ConfigLoaderTest::keyName)
                .containsExactlyInAnyOrder("BASIC_PASS_HASH", "WEBHOOK_SECRET", "SIGNED_URL_SECRET");
    }

    @Test
    void anySettingInAnEnvFileMeansProductionToo() throws IOException {
        Path file = tmp.resolve("shoal.env");
        Files.writeString(file, "# only a comment and one key\nLOG_LEVEL=info\n");

        assertThat(problemsOf(Map.of(), Optional.of(file), Map.of())).extracting(ConfigLoaderTest::keyName)
                .containsExactlyInAnyOrder("BASIC_PASS_HASH", "WEBHOOK_SECRET", "SIGNED_URL_SECRET");
    }

    @Test
    void anEmptyEnvFileIsNothingConfigured() throws IOException {
        Path file = tmp.resolve("shoal.env");
        Files.writeString(file, "# nothing here yet\n\n");

        assertThat(load(Map.of(), Optional.of(file), Map.of()).mode()).isEqualTo(Mode.LOCAL);
    }

    @Test
    void explicitShoalModeProductionWithEverythingRealLoads() {
        ControllerConfig config = load(productionBase(), Optional.empty(), Map.of());

        assertThat(config.mode()).isEqualTo(Mode.PRODUCTION);
        assertThat(config.apiAuth().passHash()).hasValueSatisfying(h -> {
            assertThat(h.matches(PASSWORD.toCharArray())).isTrue();
            assertThat(h.matches("wrong".toCharArray())).isFalse();
        });
        assertThat(config.secrets().webhook()).isPresent();
        assertThat(config.secrets().signedUrl()).isPresent();
    }

    @Test
    void shoalModeIsCaseInsensitive() {
        Map<String, String> env = localBase();
        env.put("SHOAL_MODE", " Local ");

        assertThat(load(env, Optional.empty(), Map.of()).mode()).isEqualTo(Mode.LOCAL);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Local and production rules
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void authModeNoneIsAllowedInLocalMode() {
        Map<String, String> env = localBase();
        env.put("AUTH_MODE", "none");
        env.put("ENABLE_REGISTRY", "true");
        env.put("REGISTRY_AUTH_MODE", "none");

        ControllerConfig config = load(env, Optional.empty(), Map.of());

        assertThat(config.apiAuth().mode()).isEqualTo(AuthMode.NONE);
        assertThat(config.registry().authMode()).isEqualTo(AuthMode.NONE);
    }

    @Test
    void authModeNoneIsRefusedInProduction() {
        Map<String, String> env = productionBase();
        env.put("AUTH_MODE", "none");

        assertThat(problemsOf(env, Optional.empty(), Map.of())).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("AUTH_MODE");
            assertThat(p.message()).contains("local mode");
        });
    }

    @Test
    void registryWithoutAuthIsRefusedInProduction() throws IOException {
        Path users = tmp.resolve("users.htpasswd");
        Files.writeString(users, "admin:" + realHash + "\n");
        Map<String, String> env = productionBase();
        env.put("ENABLE_REGISTRY", "true");
        env.put("REGISTRY_AUTH_MODE", "none");
        env.put("REGISTRY_USERS_FILE", users.toString());

        assertThat(problemsOf(env, Optional.empty(), Map.of())).extracting(ConfigLoaderTest::keyName)
                .containsExactly("REGISTRY_AUTH_MODE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0:8080", ":8080", "[::]:8080", "192.0.2.10:8080", "[2001:db8::1]:443"})
    void localModeRefusesNonLoopbackListeners(String addr) {
        Map<String, String> env = localBase();
        env.put("CONTROLLER_HTTP_ADDR", addr);

        assertThat(problemsOf(env, Optional.empty(), Map.of())).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("CONTROLLER_HTTP_ADDR");
            assertThat(p.message()).contains("loopback").contains("SHOAL_MODE=production");
        });
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1:8080,127.0.0.1,8080", "localhost:9000,localhost,9000", "[::1]:8443,::1,8443",
            "127.0.0.2:0,127.0.0.2,0"})
    void localModeAcceptsLoopbackListeners(String addr, String host, int port) {
        Map<String, String> env = localBase();
        env.put("CONTROLLER_HTTP_ADDR", addr);

        ControllerConfig config = load(env, Optional.empty(), Map.of());

        assertThat(config.listen()).isEqualTo(new ListenAddress(host, port));
        assertThat(config.listen().isLoopback()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"':8080',true", "'0.0.0.0:8080',true", "'[::]:8080',true", "'192.0.2.10:8080',false"})
    void productionAcceptsNetworkListeners(String addr, boolean allInterfaces) {
        Map<String, String> env = productionBase();
        env.put("CONTROLLER_HTTP_ADDR", addr);

        ListenAddress listen = load(env, Optional.empty(), Map.of()).listen();

        assertThat(listen.allInterfaces()).isEqualTo(allInterfaces);
        assertThat(listen.port()).isEqualTo(8080);
    }

    static Stream<Arguments> productionSecretProblems() {
        String shortSecret = randomSecret().substring(0, 31);
        String longSecret = randomSecret();
        return Stream.of(
                prod("WEBHOOK_SECRET missing", "WEBHOOK_SECRET", null, "WEBHOOK_SECRET", "is required"),
                prod("SIGNED_URL_SECRET missing", "SIGNED_URL_SECRET", null, "SIGNED_URL_SECRET", "is required"),
                prod("BASIC_PASS_HASH missing", "BASIC_PASS_HASH", null, "BASIC_PASS_HASH", "hash-password"),
                prod("WEBHOOK_SECRET 036 placeholder", "WEBHOOK_SECRET", "replace-with-long-random", "WEBHOOK_SECRET", "placeholder"),
                prod("SIGNED_URL_SECRET 036 placeholder", "SIGNED_URL_SECRET", "replace-with-long-random", "SIGNED_URL_SECRET", "placeholder"),
                prod("WEBHOOK_SECRET example placeholder", "WEBHOOK_SECRET", "REDACTED_LONG_RANDOM", "WEBHOOK_SECRET", "placeholder"),
                prod("long placeholder", "SIGNED_URL_SECRET", "changeme-changeme-changeme-changeme-changeme", "SIGNED_URL_SECRET", "placeholder"),
                prod("WEBHOOK_SECRET too short", "WEBHOOK_SECRET", shortSecret, "WEBHOOK_SECRET", "31 characters"),
                prod("SIGNED_URL_SECRET too short", "SIGNED_URL_SECRET", "s3cr3t", "SIGNED_URL_SECRET", "at least 32"),
                prod("WEBHOOK_SECRET_PREVIOUS too short", "WEBHOOK_SECRET_PREVIOUS", shortSecret, "WEBHOOK_SECRET_PREVIOUS", "at least 32"),
                prod("WEBHOOK_SECRET_PREVIOUS placeholder", "WEBHOOK_SECRET_PREVIOUS", "replace-with-long-random-replace-with",
                        "WEBHOOK_SECRET_PREVIOUS", "placeholder"),
                prod("BASIC_PASS_HASH placeholder", "BASIC_PASS_HASH", "$2y$12$REDACTED_HASH", "BASIC_PASS_HASH", "60 characters"),
                prod("BASIC_PASS_HASH plaintext", "BASIC_PASS_HASH", longSecret, "BASIC_PASS_HASH", "not a bcrypt"),
                prod("BASIC_PASS_HASH truncated", "BASIC_PASS_HASH", "{realHash-1}", "BASIC_PASS_HASH", "60 characters"),
                prod("WEBHOOK_SECRET empty", "WEBHOOK_SECRET", "", "WEBHOOK_SECRET", "empty"),
                prod("SIGNED_URL_SECRET blank", "SIGNED_URL_SECRET", "   ", "SIGNED_URL_SECRET", "empty"));
    }

    @ParameterizedTest
    @MethodSource("productionSecretProblems")
    void productionRefusesWeakSecretsWithoutShowingThem(String key, String value, String expectedKey, String says) {
        Map<String, String> env = productionBase();
        String v = value == null ? null : value.replace("{realHash-1}", realHash.substring(0, 59));
        if (v == null) {
            env.remove(key);
        } else {
            env.put(key, v);
        }

        List<ConfigProblem> problems = problemsOf(env, Optional.empty(), Map.of());

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(keyName(p)).isEqualTo(expectedKey);
            assertThat(p.message()).contains(says);
            assertThat(p.toString()).doesNotContain("\n");
            if (v != null && !v.isBlank()) {
                assertThat(p.toString()).doesNotContain(v);
                // nor any recognisable piece of it
                for (int i = 0; i + 8 <= v.length(); i++) {
                    String piece = v.substring(i, i + 8);
                    if (!piece.matches("[a-z-]+") && !piece.matches("\\$2y\\$\\d\\d\\$.*")) {
                        assertThat(p.toString()).doesNotContain(piece);
                    }
                }
            }
        });
    }

    @Test
    void rotationWithThePreviousSecretEqualToTheCurrentOneIsRefused() {
        Map<String, String> env = productionBase();
        String current = env.get("WEBHOOK_SECRET");
        env.put("WEBHOOK_SECRET_PREVIOUS", current);

        assertThat(problemsOf(env, Optional.empty(), Map.of())).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("WEBHOOK_SECRET_PREVIOUS");
            assertThat(p.message()).contains("same as WEBHOOK_SECRET").doesNotContain(current);
        });
    }

    @Test
    void rotationWithADifferentPreviousSecretLoads() {
        Map<String, String> env = productionBase();
        String previous = randomSecret();
        env.put("WEBHOOK_SECRET_PREVIOUS", previous);

        ControllerConfig config = load(env, Optional.empty(), Map.of());

        assertThat(config.secrets().webhookPrevious()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo(previous));
        assertThat(config.secrets().webhook()).hasValueSatisfying(s -> assertThat(s.reveal()).isEqualTo(env.get("WEBHOOK_SECRET")));
        assertThat(config.toString()).doesNotContain(previous).doesNotContain(env.get("WEBHOOK_SECRET"))
                .doesNotContain(env.get("SIGNED_URL_SECRET"));
    }

    @Test
    void aSecretOfExactly32CharactersIsLongEnough() {
        Map<String, String> env = productionBase();
        env.put("SIGNED_URL_SECRET", randomSecret().substring(0, 32));

        assertThat(load(env, Optional.empty(), Map.of()).secrets().signedUrl()).isPresent();
    }

    @Test
    void localModeDoesNotRequireSecretsButChecksWhatIsGiven() {
        ControllerConfig config = load(localBase(), Optional.empty(), Map.of());
        assertThat(config.secrets().webhook()).isEmpty();
        assertThat(config.apiAuth().passHash()).isEmpty();

        Map<String, String> env = localBase();
        env.put("BASIC_PASS_HASH", realHash);
        assertThat(load(env, Optional.empty(), Map.of()).apiAuth().passHash()).isPresent();
    }

    @Test
    void secretsAreMaskedWhereverASettingIsShown() {
        String secret = randomSecret();
        Setting s = new Setting(ConfigKey.WEBHOOK_SECRET, secret, "environment");
        Setting hash = new Setting(ConfigKey.BASIC_PASS_HASH, realHash, "--basic-pass-hash");
        Setting plain = new Setting(ConfigKey.LOG_LEVEL, "debug", "environment");

        assertThat(s.shown()).isEqualTo("******");
        assertThat(s.toString()).doesNotContain(secret).contains("******");
        assertThat(hash.toString()).doesNotContain(realHash).doesNotContain(realHash.substring(7));
        assertThat(plain.shown()).isEqualTo("debug");
        assertThat(ConfigKey.values()).filteredOn(ConfigKey::secret).containsExactlyInAnyOrder(
                ConfigKey.BASIC_PASS_HASH, ConfigKey.WEBHOOK_SECRET, ConfigKey.WEBHOOK_SECRET_PREVIOUS,
                ConfigKey.SIGNED_URL_SECRET);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Durations
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"30s,PT30S", "10m,PT10M", "4h,PT4H", "1h30m,PT1H30M", "500ms,PT0.5S", "2d,PT48H",
            "1d2h3m4s5ms,PT26H3M4.005S", "0s,PT0S", "' 45s ',PT45S", "90m,PT1H30M", "1500ms,PT1.5S"})
    void durationsParse(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @CsvSource({"PT30S,30s", "PT10M,10m", "PT4H,4h", "PT1H30M,1h30m", "PT0.5S,500ms", "PT48H,2d",
            "PT26H3M4.005S,1d2h3m4s5ms", "PT0S,0s", "PT1.5S,1s500ms", "PT720H,30d"})
    void durationsFormatToTheShortestFormAndRoundTrip(String iso, String text) {
        Duration d = Duration.parse(iso);

        assertThat(Durations.format(d)).isEqualTo(text);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "10x", "-5s", "1.5h", "1h 30m", "h", "ms", "30S", "PT30S", "5sec", "1m-1s"})
    void badDurationsAreRefusedWithTheExpectedForm(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("30s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999s", "999999999999999999d", "9223372036854775807s9223372036854775807s"})
    void hugeDurationsAreRefusedAsIllegalArguments(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLoaderUsesTheParsedDurations() {
        Map<String, String> env = localBase();
        env.put("REDFISH_TIMEOUT", "1m30s");
        env.put("JOB_LEASE_TTL", "90s");
        env.put("JOB_STUCK_TIMEOUT", "2d");

        ControllerConfig config = load(env, Optional.empty(), Map.of());

        assertThat(config.redfishTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.jobLeaseTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.jobStuckTimeout()).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void registryGcSettingsAreParsedAndZeroTurnsThePeriodicRunOff() {
        Map<String, String> env = localBase();
        env.put("REGISTRY_GC_INTERVAL", "0");
        env.put("REGISTRY_GC_GRACE", "2s");
        env.put("REGISTRY_UPLOAD_TIMEOUT", "1h30m");
        env.put("REGISTRY_RETAIN_TAGS", "10");

        ControllerConfig config = load(env, Optional.empty(), Map.of());

        assertThat(config.registry().gc()).isEqualTo(new ControllerConfig.RegistryGc(Duration.ZERO,
                Duration.ofSeconds(2), Duration.ofMinutes(90), 10));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    private Map<String, String> localBase() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SHOAL_MODE", "local");
        env.put("STORAGE_ROOT", tmp.resolve("root").toString());
        return env;
    }

    private Map<String, String> productionBase() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SHOAL_MODE", "production");
        env.put("STORAGE_ROOT", tmp.resolve("root").toString());
        env.put("CONTROLLER_HTTP_ADDR", ":8080");
        env.put("BASIC_PASS_HASH", realHash);
        env.put("WEBHOOK_SECRET", randomSecret());
        env.put("SIGNED_URL_SECRET", randomSecret());
        return env;
    }

    private static Arguments bad(String key, String value) {
        return argumentSet(key + "=" + printable(value), new Case(Map.of(key, value), null, key));
    }

    private static Arguments badPair(String k1, String v1, String k2, String v2, String expected) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(k1, v1);
        if (v2 != null) {
            env.put(k2, v2);
        }
        return argumentSet(k1 + "=" + v1 + (v2 != null ? " " + k2 + "=" + v2 : ""), new Case(env, null, expected));
    }

    private static Arguments files(Map<String, String> env, String expected) {
        return argumentSet(env.toString(), new Case(env, null, expected));
    }

    private static Arguments inFile(String name, String content, String expected) {
        return argumentSet(name, new Case(Map.of(), content, expected));
    }

    private static Arguments prod(String name, String key, String value, String expectedKey, String says) {
        return argumentSet(name, key, value, expectedKey, says);
    }

    private static String printable(String s) {
        return s.replace("\u0000", "\\0").replace("\u0007", "\\a").replace("\t", "\\t");
    }

    /** The key a problem names: its label without the "(origin)" part. */
    static String keyName(ConfigProblem p) {
        String k = p.key();
        int paren = k.indexOf(" (");
        return paren < 0 ? k : k.substring(0, paren);
    }

    static ControllerConfig load(Map<String, String> env, Optional<Path> file, Map<ConfigKey, String> flags) {
        return ConfigLoader.load(ConfigSources.collect(env, file, flags));
    }

    static List<ConfigProblem> problemsOf(Map<String, String> env, Optional<Path> file, Map<ConfigKey, String> flags) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> load(env, file, flags));
        assertThat(e).as("a ConfigException").isNotNull();
        assertThat(e.getMessage().lines()).hasSize(e.problems().size());
        return e.problems();
    }

    /** 48 random characters, as `openssl rand -base64 36` would give. */
    static String randomSecret() {
        byte[] bytes = new byte[36];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A real bcrypt hash made by Debian's htpasswd (cost 5 to keep the tests quick). */
    static String htpasswdBcrypt(String user, String password) {
        String out = run("htpasswd", "-nbB", "-C", "5", user, password).strip();
        assertThat(out).startsWith(user + ":$2y$05$");
        return out.substring(user.length() + 1);
    }

    /** An htpasswd file with one bcrypt user, made by htpasswd itself. */
    static void htpasswdFile(Path file, String user, String password) {
        run("htpasswd", "-cbB", "-C", "5", file.toString(), user, password);
        assertThat(file).isRegularFile();
    }

    private static String run(String... command) {
        try {
            DebianTools.Result r = DebianTools.run(null, command);
            assertThat(r.exit()).as("%s exit code; stderr: %s", command[0], r.err()).isZero();
            return r.out();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

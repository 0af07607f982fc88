package dev.shoal.controller.cli;

import dev.shoal.controller.testing.DebianTools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.shoal.controller.auth.PasswordHash;
import dev.shoal.controller.config.ConfigKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line, run in-process through {@link Cli#run} with captured streams and a given environment. */
class CliTest {

    private static final String NON_ASCII_PASSWORD = "s3cret-pässword";

    @TempDir
    Path tmp;

    @BeforeAll
    static void requireHtpasswd() {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "htpasswd")));
        if (!found) {
            fail("htpasswd is not on the PATH; install apache2-utils (apt-get install -y apache2-utils)");
        }
    }

    record Result(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // --help
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"--help", "serve --help", "config check --help", "db check --help"})
    void helpListsEveryConfigurationKeyAsAFlag(String args) {
        Result r = run(args.split(" "), Map.of(), "");

        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        for (ConfigKey k : ConfigKey.values()) {
            // The option column, e.g. "      --webhook-secret=SECRET", not just a mention in some description.
            assertThat(r.out()).as("help of %s lists %s", args, k.flag())
                    .containsPattern(Pattern.compile("(?m)^\\s+\\Q" + k.flag() + "\\E=(VALUE|SECRET)\\b"));
            // Descriptions wrap, so compare with the line breaks taken out.
            assertThat(r.out().replaceAll("\\s+", " ")).as("help names the variable %s", k.name())
                    .containsPattern("Env: \\Q" + k.name() + "\\E(?![A-Z_])");
        }
        assertThat(r.out()).containsPattern("(?m)^\\s+--env-file=FILE\\b");
    }

    @Test
    void helpMarksSecretFlagsAndShowsNoSecretDefaults() {
        Result r = run(new String[] {"--help"}, Map.of(), "");

        for (ConfigKey k : ConfigKey.values()) {
            assertThat(r.out()).containsPattern("(?m)^\\s+\\Q" + k.flag() + "=" + (k.secret() ? "SECRET" : "VALUE") + "\\E\\b");
        }
        assertThat(r.out()).contains("hash-password").contains("config");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bad configuration: exit 2, one line per problem
    // ---------------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "serve", "config check", "db check"})
    void aBadFlagValueExits2WithOneLineNamingTheKey(String command) {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.addAll(List.of("--job-lease-ttl", "10x"));
        Map<String, String> env = Map.of("SHOAL_MODE", "local", "STORAGE_ROOT", tmp.toString());

        // Were the value wrongly accepted, serve would start serving: do not wait for it forever.
        Result r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(args.toArray(String[]::new), env, ""));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("shoal-controller: configuration error: JOB_LEASE_TTL (--job-lease-ttl): ")
                .contains("10x"));
        assertThat(r.out()).isEmpty();
        assertThat(tmp).isEmptyDirectory();
    }

    @Test
    void aBadEnvironmentValueExits2WithOneLine() {
        Map<String, String> env = Map.of("SHOAL_MODE", "local", "STORAGE_ROOT", tmp.toString(), "REDFISH_RETRIES", "lots");

        Result r = run(new String[] {"config", "check"}, env, "");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactly(
                "shoal-controller: configuration error: REDFISH_RETRIES: \"lots\" is not a whole number");
    }

    @Test
    void theUnchanged036ExampleIsRefusedWithoutShowingItsPlaceholders() throws IOException {
        Path file = tmp.resolve("shoal.env");
        try (InputStream in = CliTest.class.getResourceAsStream("/config/036-example.env")) {
            assertThat(in).as("test resource config/036-example.env").isNotNull();
            Files.write(file, in.readAllBytes());
        }

        Result r = run(new String[] {"config", "check", "--env-file", file.toString()}, Map.of(), "");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).allSatisfy(l -> assertThat(l).startsWith("shoal-controller: configuration error: "))
                .anySatisfy(l -> assertThat(l).contains("BASIC_PASS_HASH (" + file + " line 11)"))
                .anySatisfy(l -> assertThat(l).contains("WEBHOOK_SECRET (" + file + " line 14)"))
                .anySatisfy(l -> assertThat(l).contains("SIGNED_URL_SECRET (" + file + " line 15)"));
        assertThat(r.err()).doesNotContain("REDACTED").doesNotContain("$2y$12$");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aRefusedSecretIsNotEchoed() {
        String shortSecret = randomSecret().substring(0, 20);
        Map<String, String> env = new LinkedHashMap<>(productionEnv());
        env.put("WEBHOOK_SECRET", shortSecret);

        Result r = run(new String[] {"config", "check", "--signed-url-secret", "x" + shortSecret}, env, "");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).containsExactlyInAnyOrder(
                "shoal-controller: configuration error: WEBHOOK_SECRET: is 20 characters; use at least 32 random characters",
                "shoal-controller: configuration error: SIGNED_URL_SECRET (--signed-url-secret): is 21 characters; use at least 32 random characters");
        assertThat(r.err()).doesNotContain(shortSecret);
    }

    @Test
    void anUnknownShoalVariableExits2() {
        Map<String, String> env = Map.of("SHOAL_MODE", "local", "STORAGE_ROOT", tmp.toString(), "SHOAL_FOO", "bar");

        Result r = run(new String[] {"config", "check"}, env, "");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().satisfies(l -> assertThat(l).contains("SHOAL_FOO"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"config check --webhook-secrte SECRET", "config check --webhook-secrte=SECRET",
            "config check --signed-url-secret SECRET2 SECRET", "--webhok-secret SECRET", "serve --x SECRET",
            "hash-password --webhook-secret SECRET"})
    void anUnknownArgumentIsAUsageErrorThatDoesNotEchoTheValues(String args) {
        String secret = "S" + randomSecret();
        Map<String, String> env = Map.of("SHOAL_MODE", "local", "STORAGE_ROOT", tmp.toString());
        String[] argv = args.replace("SECRET2", "Z" + randomSecret()).replace("SECRET", secret).split(" ");

        Result r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run(argv, env, ""));

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isNotBlank().doesNotContain(secret).doesNotContain(secret.substring(1, 20));
        assertThat(r.out()).doesNotContain(secret);
        for (String a : argv) {
            if (a.startsWith("-") && !a.startsWith("--signed-url-secret")) {
                assertThat(r.err()).as("names the unknown option").contains(a.replaceFirst("=.*", ""));
            }
        }
    }

    @Test
    void aMisspeltFlagGetsASuggestion() {
        Result r = run(new String[] {"config", "check", "--webhook-secrte", "Qvalue"}, Map.of(), "");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--webhook-secret");
    }

    // ---------------------------------------------------------------------------------------------------------
    // config check
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void configCheckPrintsEveryKeyWithItsOriginAndMasksSecrets() throws IOException {
        String hash = htpasswdBcrypt("admin", "the admin password");
        String webhook = randomSecret();
        String previous = randomSecret();
        String signed = randomSecret();
        Path users = tmp.resolve("users.htpasswd");
        htpasswd("-cbB", "-C", "5", users.toString(), "pusher", "registry password");
        Path file = tmp.resolve("shoal.env");
        Files.writeString(file, """
                # production
                CONTROLLER_HTTP_ADDR=:8080
                BASIC_PASS_HASH=%s
                ENABLE_REGISTRY=true
                REGISTRY_USERS_FILE=%s
                WEBHOOK_SECRET=%s
                LOG_LEVEL=debug
                """.formatted(hash, users, webhook));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("STORAGE_ROOT", tmp.resolve("data").toString());
        env.put("WEBHOOK_SECRET_PREVIOUS", previous);
        env.put("JOB_LEASE_TTL", "15m");
        env.put("HOME", "/root");

        Result r = run(new String[] {"config", "check", "--env-file", file.toString(), "--signed-url-secret", signed,
                "--log-level", "warn"}, env, "");

        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("mode: production");
        assertThat(lines.getLast()).isEqualTo("configuration ok");
        for (ConfigKey k : ConfigKey.values()) {
            assertThat(lines).as("a line for %s", k).filteredOn(l -> l.startsWith(k.name() + "=")).hasSize(1);
        }
        assertThat(lines).hasSize(ConfigKey.values().length + 2);
        assertThat(lines).contains(
                "CONTROLLER_HTTP_ADDR=:8080  (" + file + " line 2)",
                "BASIC_PASS_HASH=******  (" + file + " line 3)",
                "ENABLE_REGISTRY=true  (" + file + " line 4)",
                "REGISTRY_USERS_FILE=" + users + "  (" + file + " line 5)",
                "WEBHOOK_SECRET=******  (" + file + " line 6)",
                "LOG_LEVEL=warn  (--log-level)",
                "STORAGE_ROOT=" + tmp.resolve("data") + "  (environment)",
                "WEBHOOK_SECRET_PREVIOUS=******  (environment)",
                "JOB_LEASE_TTL=15m  (environment)",
                "SIGNED_URL_SECRET=******  (--signed-url-secret)",
                "REDFISH_TIMEOUT=30s  (default)",
                "TLS_CERT_FILE=(unset)");
        for (String secret : List.of(hash, hash.substring(7), hash.substring(29), webhook, previous, signed)) {
            assertThat(r.out()).doesNotContain(secret);
        }
    }

    @Test
    void configCheckWithNothingConfiguredIsLocalMode() {
        Result r = run(new String[] {"config", "check"}, Map.of("PATH", "/usr/bin"), "");

        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("mode: local\n").contains("CONTROLLER_HTTP_ADDR=127.0.0.1:8080  (default)")
                .contains("WEBHOOK_SECRET=(unset)").endsWith("configuration ok\n");
    }

    // ---------------------------------------------------------------------------------------------------------
    // hash-password
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void hashPasswordMakesABcryptHashThatHtpasswdVerifies() throws IOException {
        Result r = run(new String[] {"hash-password"}, Map.of(), NON_ASCII_PASSWORD + "\n");

        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        String hash = r.out().strip();
        assertThat(r.out()).isEqualTo(hash + "\n");
        assertThat(hash).startsWith("$2y$12$").hasSize(60);
        assertThat(r.out() + r.err()).doesNotContain(NON_ASCII_PASSWORD);

        Path file = tmp.resolve("users.htpasswd");
        Files.writeString(file, "admin:" + hash + "\n");
        assertThat(htpasswdVerify(file, "admin", NON_ASCII_PASSWORD)).as("htpasswd -v, right password").isZero();
        assertThat(htpasswdVerify(file, "admin", "s3cret-passwörd")).as("htpasswd -v, wrong password").isNotZero();
        assertThat(PasswordHash.parse(hash).matches(NON_ASCII_PASSWORD.toCharArray())).isTrue();
    }

    @Test
    void hashPasswordTakesACarriageReturnLineEndingOffAndReadsOnlyTheFirstLine() {
        Result r = run(new String[] {"hash-password", "--cost", "4"}, Map.of(), "pw-one\r\npw-two\n");

        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).startsWith("$2y$04$");
        PasswordHash hash = PasswordHash.parse(r.out().strip());
        assertThat(hash.matches("pw-one".toCharArray())).isTrue();
        assertThat(hash.matches("pw-one\r".toCharArray())).isFalse();
        assertThat(hash.matches("pw-one\r\npw-two".toCharArray())).isFalse();
    }

    @Test
    void hashPasswordWithoutATrailingNewlineWorksToo() {
        Result r = run(new String[] {"hash-password", "--cost", "5"}, Map.of(), NON_ASCII_PASSWORD);

        assertThat(r.exit()).isZero();
        assertThat(PasswordHash.parse(r.out().strip()).matches(NON_ASCII_PASSWORD.toCharArray())).isTrue();
    }

    @Test
    void hashPasswordArgon2idIsAPhcStringThatParsesAndMatches() {
        Result r = run(new String[] {"hash-password", "--algorithm", "argon2id"}, Map.of(), NON_ASCII_PASSWORD + "\n");

        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        String encoded = r.out().strip();
        assertThat(encoded).startsWith("$argon2id$v=19$");
        PasswordHash hash = PasswordHash.parse(encoded);
        assertThat(hash.algorithm()).isEqualTo("argon2id");
        assertThat(hash.matches(NON_ASCII_PASSWORD.toCharArray())).isTrue();
        assertThat(hash.matches("s3cret-password".toCharArray())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "\r\n"})
    void hashPasswordRefusesAnEmptyPassword(String stdin) {
        Result r = run(new String[] {"hash-password"}, Map.of(), stdin);

        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().satisfies(l -> assertThat(l).contains("hash-password").contains("empty"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "32", "-1"})
    void hashPasswordRefusesABadCostAsAUsageError(String cost) {
        Result r = run(new String[] {"hash-password", "--cost", cost}, Map.of(), "password\n");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().satisfies(l -> assertThat(l).contains("cost").contains(cost).contains("4..31"));
    }

    @Test
    void hashPasswordRefusesAnUnknownAlgorithmBeforeReadingAnything() {
        // Empty stdin: were the password read first, the complaint would be about an empty password.
        Result r = run(new String[] {"hash-password", "--algorithm", "md5"}, Map.of(), "");

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).singleElement().satisfies(l -> assertThat(l).contains("--algorithm").contains("bcrypt")
                .contains("argon2id"));
    }

    @Test
    void hashPasswordRefusesPasswordsBcryptWouldTruncate() {
        String longPassword = "€".repeat(25); // 75 UTF-8 bytes

        Result r = run(new String[] {"hash-password", "--cost", "4"}, Map.of(), longPassword + "\n");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("72").contains("argon2id").doesNotContain(longPassword);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------------------

    private Map<String, String> productionEnv() {
        return Map.of("SHOAL_MODE", "production", "STORAGE_ROOT", tmp.toString(),
                "BASIC_PASS_HASH", htpasswdBcrypt("admin", "pw"),
                "WEBHOOK_SECRET", randomSecret(), "SIGNED_URL_SECRET", randomSecret());
    }

    private static Result run(String[] args, Map<String, String> env, String stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Cli.run(args, o, e, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env);
        }
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String randomSecret() {
        byte[] bytes = new byte[36];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String htpasswdBcrypt(String user, String password) {
        String line = htpasswd("-nbB", "-C", "5", user, password).strip();
        assertThat(line).startsWith(user + ":$2y$05$");
        return line.substring(user.length() + 1);
    }

    private static String htpasswd(String... args) {
        List<String> command = new ArrayList<>(List.of("htpasswd"));
        command.addAll(List.of(args));
        DebianTools.Result r = tool(null, command);
        assertThat(r.exit()).as("htpasswd %s: %s", String.join(" ", args), r.err()).isZero();
        return r.out();
    }

    /** {@code htpasswd -vi}: the password goes in on stdin as UTF-8, as argv's encoding depends on the locale. */
    private static int htpasswdVerify(Path file, String user, String password) {
        return tool(password, List.of("htpasswd", "-vi", file.toString(), user)).exit();
    }

    private static DebianTools.Result tool(String stdin, List<String> command) {
        try {
            return DebianTools.run(stdin, command.toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

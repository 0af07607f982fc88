package dev.shoal.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parses and verifies hashes made by Debian's htpasswd (apache2-utils) and argon2 CLIs. */
class PasswordHashTest {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String NON_ASCII = "pässwörd-€";
    private static final String SALT = "somesaltsomesalt";

    @BeforeAll
    static void requireTools() {
        Tools.require();
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 10, 12})
    void bcryptFromHtpasswdVerifies(int cost) {
        String encoded = Tools.htpasswdBcrypt(PASSWORD, cost);
        assertThat(encoded).startsWith("$2y$%02d$".formatted(cost));

        PasswordHash hash = PasswordHash.parse(encoded);

        assertThat(hash.algorithm()).isEqualTo("bcrypt");
        assertThat(((BcryptHash) hash).cost()).isEqualTo(cost);
        assertThat(hash.matches(PASSWORD.toCharArray())).isTrue();
        assertThat(hash.matches("correct horse battery stapler".toCharArray())).isFalse();
        assertThat(hash.matches(new char[0])).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"$2b$", "$2a$"})
    void bcryptFromHtpasswdVerifiesWithOtherPrefixes(String prefix) {
        String encoded = prefix + Tools.htpasswdBcrypt(PASSWORD, 5).substring(4);

        PasswordHash hash = PasswordHash.parse(encoded);

        assertThat(hash.matches(PASSWORD.toCharArray())).isTrue();
        assertThat(hash.matches("wrong".toCharArray())).isFalse();
    }

    @Test
    void bcryptNonAsciiPasswordFromHtpasswdVerifies() {
        PasswordHash hash = PasswordHash.parse(Tools.htpasswdBcrypt(NON_ASCII, 5));

        assertThat(hash.matches(NON_ASCII.toCharArray())).isTrue();
        assertThat(hash.matches("passwort-€".toCharArray())).isFalse();
        // Bytes are hashed as given: a decomposed form of the same text is a different password.
        assertThat(hash.matches(Normalizer.normalize(NON_ASCII, Normalizer.Form.NFD).toCharArray())).isFalse();
    }

    @Test
    void bcryptFromHtpasswdWithPasswordOver72BytesVerifies() {
        String longPassword = "x".repeat(40) + "€".repeat(20); // 100 UTF-8 bytes; bcrypt reads 72 of them
        PasswordHash hash = PasswordHash.parse(Tools.htpasswdBcrypt(longPassword, 5));

        assertThat(hash.matches(longPassword.toCharArray())).isTrue();
        assertThat(hash.matches(("y" + longPassword.substring(1)).toCharArray())).isFalse();
    }

    static Stream<Arguments> argon2Options() {
        return Stream.of(
                Arguments.of((Object) new String[] {"-id", "-t", "2", "-m", "12", "-p", "1"}),
                Arguments.of((Object) new String[] {"-id", "-t", "3", "-m", "16", "-p", "2"}),
                // memory that is not a multiple of 4 * lanes, and a non-default hash length
                Arguments.of((Object) new String[] {"-id", "-t", "1", "-k", "1001", "-p", "3", "-l", "20"}),
                Arguments.of((Object) new String[] {"-id", "-t", "2", "-m", "12", "-p", "1", "-v", "10"}));
    }

    @ParameterizedTest
    @MethodSource("argon2Options")
    void argon2idFromCliVerifies(String[] options) {
        String encoded = Tools.argon2(PASSWORD, SALT, options);
        assertThat(encoded).startsWith("$argon2id$");

        PasswordHash hash = PasswordHash.parse(encoded);

        assertThat(hash.algorithm()).isEqualTo("argon2id");
        assertThat(hash.matches(PASSWORD.toCharArray())).isTrue();
        assertThat(hash.matches("correct horse battery stapler".toCharArray())).isFalse();
        assertThat(hash.matches(new char[0])).isFalse();
    }

    @Test
    void argon2idNonAsciiPasswordFromCliVerifies() {
        PasswordHash hash = PasswordHash.parse(Tools.argon2(NON_ASCII, SALT, "-id", "-t", "2", "-m", "12", "-p", "1"));

        assertThat(hash.matches(NON_ASCII.toCharArray())).isTrue();
        assertThat(hash.matches("passwort-€".toCharArray())).isFalse();
    }

    @Test
    void argon2idWithoutVersionFieldMeansVersion10() {
        String v10 = Tools.argon2(PASSWORD, SALT, "-id", "-t", "2", "-m", "12", "-p", "1", "-v", "10");
        String v13 = Tools.argon2(PASSWORD, SALT, "-id", "-t", "2", "-m", "12", "-p", "1");
        assertThat(v10).contains("$v=16$");
        assertThat(v13).contains("$v=19$");

        assertThat(PasswordHash.parse(v10.replace("$v=16$", "$")).matches(PASSWORD.toCharArray())).isTrue();
        assertThat(PasswordHash.parse(v13.replace("$v=19$", "$")).matches(PASSWORD.toCharArray())).isFalse();
    }

    @Test
    void argon2idParametersMayComeInAnyOrder() {
        String encoded = Tools.argon2(PASSWORD, SALT, "-id", "-t", "2", "-m", "12", "-p", "1");
        assertThat(encoded).contains("$m=4096,t=2,p=1$");

        PasswordHash hash = PasswordHash.parse(encoded.replace("$m=4096,t=2,p=1$", "$p=1,t=2,m=4096$"));

        assertThat(hash.matches(PASSWORD.toCharArray())).isTrue();
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        String encoded = Tools.htpasswdBcrypt(PASSWORD, 4);

        assertThat(PasswordHash.parse("  " + encoded + "\n").matches(PASSWORD.toCharArray())).isTrue();
    }

    static Stream<Arguments> malformed() {
        String bcrypt = Tools.htpasswdBcrypt(PASSWORD, 5);
        String argon2id = Tools.argon2(PASSWORD, SALT, "-id", "-t", "2", "-m", "12", "-p", "1");
        String[] a = argon2id.split("\\$"); // "", "argon2id", "v=19", "m=4096,t=2,p=1", salt, hash
        String head = "$argon2id$v=19$";
        String tail = "$" + a[4] + "$" + a[5];
        String canonicalSaltEnd = bcrypt.substring(0, 28) + "/" + bcrypt.substring(29);
        return Stream.of(
                Arguments.of("", "empty"),
                Arguments.of(" \n", "empty"),
                Arguments.of("hunter2-plain-text", "not a bcrypt ($2y$/$2b$/$2a$) or argon2id PHC hash"),
                Arguments.of(Tools.htpasswd("-nbm", "user", PASSWORD).substring(5), "not a bcrypt"),
                Arguments.of("$2y$03" + bcrypt.substring(6), "bcrypt cost 03 is out of range 04..31"),
                Arguments.of("$2y$32" + bcrypt.substring(6), "bcrypt cost 32 is out of range 04..31"),
                Arguments.of("$2y$1x" + bcrypt.substring(6), "bcrypt cost is not a two-digit number"),
                Arguments.of(bcrypt.substring(0, 55), "bcrypt hash must be 60 characters long, not 55"),
                Arguments.of(bcrypt + "A", "bcrypt hash must be 60 characters long, not 61"),
                Arguments.of("$2y$", "bcrypt hash must be 60 characters long"),
                Arguments.of("$2x$" + bcrypt.substring(4), "unsupported bcrypt variant"),
                Arguments.of(bcrypt.substring(0, 20) + "*" + bcrypt.substring(21), "bcrypt's base64 alphabet"),
                Arguments.of(canonicalSaltEnd, "not canonically encoded"),
                Arguments.of(Tools.argon2(PASSWORD, SALT, "-i"), "argon2i hashes are not supported"),
                Arguments.of(Tools.argon2(PASSWORD, SALT, "-d"), "argon2d hashes are not supported"),
                Arguments.of("$argon2" + tail, "unknown argon2 variant"),
                Arguments.of("$argon2id$", "does not have the form"),
                Arguments.of(argon2id.substring(0, argon2id.lastIndexOf('$')), "does not have the form"),
                Arguments.of(head.substring(0, head.length() - 1) + tail, "does not have the form"),
                Arguments.of(head + "m=4096,t=2,p=1$c29tZ*NhbHQ$" + a[5], "salt is not unpadded standard base64"),
                Arguments.of(argon2id + "=", "hash is not unpadded standard base64"),
                Arguments.of(argon2id.substring(0, argon2id.length() - 2), "hash is not unpadded standard base64"),
                Arguments.of(head + "m=4096,t=2,p=1$c2FsdA" + "$" + a[5], "salt must be 8..64 bytes, not 4"),
                Arguments.of(Tools.argon2(PASSWORD, SALT, "-id", "-l", "12"), "hash must be 16..128 bytes, not 12"),
                Arguments.of(head + "m=99999999,t=2,p=1" + tail, "memory m is out of range"),
                Arguments.of(head + "m=99999999999999999999999,t=2,p=1" + tail, "memory m is out of range"),
                Arguments.of(head + "m=262144,t=100,p=1" + tail, "memory m times iterations t is above the limit"),
                Arguments.of(head + "m=4194304,t=1,p=1" + tail, "memory m is out of range"),
                Arguments.of(head + "m=4096,t=0,p=1" + tail, "iterations t is out of range 1..100"),
                Arguments.of(head + "m=4096,t=2,p=1000" + tail, "parallelism p is out of range 1..64"),
                Arguments.of(head + "m=8,t=2,p=2" + tail, "at least 8 KiB per lane"),
                Arguments.of(head + "m=4k,t=2,p=1" + tail, "memory m is not a number"),
                Arguments.of(head + "m=-1,t=2,p=1" + tail, "memory m is not a number"),
                Arguments.of(head + "m=4096,t=2" + tail, "parameter p is missing"),
                Arguments.of(head + "m=4096,t=2,p=1,m=4096" + tail, "parameter m is given twice"),
                Arguments.of(head + "m=4096,t=2,p=1,keyid=abcd" + tail, "parameters must be m=<KiB>,t=<passes>,p=<lanes>"),
                Arguments.of("$argon2id$v=20$m=4096,t=2,p=1" + tail, "version v must be 19 or 16"),
                Arguments.of("$argon2id$v=x$m=4096,t=2,p=1" + tail, "version v is not a number"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void malformedHashIsRejectedWithoutQuotingIt(String input, String expectedMessage) {
        assertThatThrownBy(() -> PasswordHash.parse(input))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expectedMessage)
                .hasNoCause()
                .satisfies(e -> assertDoesNotQuote(e.getMessage(), input));
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> PasswordHash.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("password hash is empty");
    }

    @Test
    void toStringDoesNotRevealTheHash() {
        String bcrypt = Tools.htpasswdBcrypt(PASSWORD, 5);
        String argon2id = Tools.argon2(PASSWORD, SALT, "-id", "-t", "2", "-m", "12", "-p", "1");

        assertThat(PasswordHash.parse(bcrypt)).hasToString("PasswordHash[bcrypt, cost 5]")
                .satisfies(h -> assertDoesNotQuote(h.toString(), bcrypt));
        assertThat(PasswordHash.parse(argon2id)).hasToString("PasswordHash[argon2id, v=19, m=4096 KiB, t=2, p=1]")
                .satisfies(h -> assertDoesNotQuote(h.toString(), argon2id));
    }

    /**
     * Neither the input nor any salt, hash or parameter list from it: every '$' field longer than 10 characters
     * (an 8-byte salt is 11). Shorter text such as "$argon2id$" may appear in a message showing the expected form.
     */
    static void assertDoesNotQuote(String text, String input) {
        List<String> secrets = new ArrayList<>(Arrays.stream(input.split("\\$")).filter(s -> s.length() > 10).toList());
        if (input.strip().length() > 10) {
            secrets.add(input.strip());
        }
        // bcrypt packs salt and hash into one field
        if (input.startsWith("$2") && input.length() > 29) {
            secrets.add(input.substring(7, 29));
            secrets.add(input.substring(29));
        }
        for (String secret : secrets) {
            assertThat(text).doesNotContain(secret);
        }
    }

    /** Runs the real Debian tools; the password always goes through stdin, as UTF-8, without a newline. */
    static final class Tools {

        static void require() {
            requireTool("htpasswd", "apache2-utils");
            requireTool("argon2", "argon2");
        }

        private static void requireTool(String tool, String debianPackage) {
            boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                    .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, tool)));
            if (!found) {
                fail(tool + " is not on the PATH: these tests check interoperability with the real tool, "
                        + "install the Debian package " + debianPackage + " (apt-get install -y " + debianPackage + ")");
            }
        }

        record Result(int exit, String out, String err) {}

        static Result run(String stdin, String... command) {
            try {
                Process process = new ProcessBuilder(command).start();
                CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
                CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
                try (OutputStream in = process.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail(String.join(" ", command) + " did not finish within 60 s");
                }
                return new Result(process.exitValue(), out.join(), err.join());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        private static String read(InputStream stream) {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String succeed(String stdin, String... command) {
            Result result = run(stdin, command);
            assertThat(result.exit()).as("%s failed: %s", String.join(" ", command), result.err()).isZero();
            return result.out().strip();
        }

        /** {@code htpasswd} with a password on the command line (ASCII only: argv encoding depends on the locale). */
        static String htpasswd(String... args) {
            String[] command = new String[args.length + 1];
            command[0] = "htpasswd";
            System.arraycopy(args, 0, command, 1, args.length);
            return succeed("", command);
        }

        /** {@code htpasswd -niB -C <cost> user}, without the {@code user:} prefix. */
        static String htpasswdBcrypt(String password, int cost) {
            String line = succeed(password, "htpasswd", "-niB", "-C", Integer.toString(cost), "user");
            assertThat(line).startsWith("user:");
            return line.substring("user:".length());
        }

        /** {@code htpasswd -vi}: exit code 0 if the password matches the hash. */
        static int htpasswdVerify(String hash, String password) {
            try {
                Path file = Files.createTempFile("shoal-htpasswd", ".txt");
                try {
                    Files.writeString(file, "user:" + hash + "\n");
                    return run(password, "htpasswd", "-vi", file.toString(), "user").exit();
                } finally {
                    Files.delete(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** {@code argon2 <salt> <options> -e}: the PHC string. */
        static String argon2(String password, String salt, String... options) {
            List<String> command = new ArrayList<>(List.of("argon2", salt));
            command.addAll(List.of(options));
            command.add("-e");
            return succeed(password, command.toArray(String[]::new));
        }
    }
}

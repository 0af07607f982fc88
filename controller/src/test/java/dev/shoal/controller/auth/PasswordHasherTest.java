package dev.shoal.controller.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shoal.controller.auth.PasswordHashTest.Tools;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our hashes, checked by Debian's htpasswd (apache2-utils) and argon2 CLIs. */
class PasswordHasherTest {

    private static final String WRONG = "correct horse battery stapler";

    private final PasswordHasher hasher = new PasswordHasher(new SecureRandom());

    @BeforeAll
    static void requireTools() {
        Tools.require();
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery staple", "pässwörd-€"})
    void bcryptIsAcceptedByHtpasswd(String password) {
        String encoded = hasher.bcrypt(password.toCharArray(), 5);

        assertThat(encoded).startsWith("$2y$05$").hasSize(60);
        assertThat(Tools.htpasswdVerify(encoded, password)).as("htpasswd -v exit code").isZero();
        assertThat(Tools.htpasswdVerify(encoded, WRONG)).as("htpasswd -v exit code").isNotZero();
        assertThat(PasswordHash.parse(encoded).matches(password.toCharArray())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery staple", "pässwörd-€"})
    void argon2idIsWhatTheArgon2CliComputes(String password) {
        // The CLI takes the salt as a command-line argument, so draw it from printable characters.
        String encoded = new PasswordHasher(alphanumericRandom()).argon2id(password.toCharArray());

        assertThat(encoded).startsWith("$argon2id$v=19$m=65536,t=3,p=1$");
        String[] fields = encoded.split("\\$");
        String salt = new String(Base64.getDecoder().decode(fields[4]), StandardCharsets.US_ASCII);
        assertThat(salt).hasSize(16);
        assertThat(Base64.getDecoder().decode(fields[5])).hasSize(32);

        String[] options = {"-id", "-t", "3", "-k", "65536", "-p", "1", "-l", "32"};
        String fromCli = Tools.argon2(password, salt, options);
        assertThat(fromCli.split("\\$")[5]).isEqualTo(fields[5]);
        assertThat(fromCli).isEqualTo(encoded);
        assertThat(Tools.argon2(WRONG, salt, options)).isNotEqualTo(encoded);
        assertThat(PasswordHash.parse(encoded).matches(password.toCharArray())).isTrue();
    }

    @Test
    void argon2idUsesAFreshRandomSalt() {
        String first = hasher.argon2id("pw".toCharArray());
        String second = hasher.argon2id("pw".toCharArray());

        assertThat(Base64.getDecoder().decode(first.split("\\$")[4])).hasSize(16);
        assertThat(first.split("\\$")[4]).isNotEqualTo(second.split("\\$")[4]);
        assertThat(PasswordHash.parse(first).matches("pw".toCharArray())).isTrue();
        assertThat(PasswordHash.parse(second).matches("pW".toCharArray())).isFalse();
    }

    @Test
    void bcryptRejectsPasswordsLongerThan72Bytes() {
        String euros72 = "€".repeat(24); // 3 UTF-8 bytes each

        assertThat(PasswordHash.parse(hasher.bcrypt(euros72.toCharArray(), 4)).matches(euros72.toCharArray()))
                .isTrue();
        assertThatThrownBy(() -> hasher.bcrypt((euros72 + "x").toCharArray(), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bcrypt only uses the first 72")
                .hasMessageContaining("argon2id");
        assertThatThrownBy(() -> hasher.bcrypt("x".repeat(73).toCharArray(), 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("72");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 3, 32})
    void bcryptRejectsCostOutOfRange(int cost) {
        assertThatThrownBy(() -> hasher.bcrypt("pw".toCharArray(), cost))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bcrypt cost " + cost + " is out of range 4..31");
    }

    @Test
    void unpairedSurrogateIsRejectedAndNeverMatches() {
        char[] broken = {'p', '\uD800', 'w'};

        assertThatThrownBy(() -> hasher.argon2id(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired");
        assertThatThrownBy(() -> hasher.bcrypt(broken, 4)).isInstanceOf(IllegalArgumentException.class);
        // A lenient encoder would turn the surrogate into '?'.
        assertThat(PasswordHash.parse(hasher.bcrypt("p?w".toCharArray(), 4)).matches(broken)).isFalse();
        assertThat(PasswordHash.parse(hasher.argon2id("p?w".toCharArray())).matches(broken)).isFalse();
    }

    private static SecureRandom alphanumericRandom() {
        return new SecureRandom() {
            private static final String ALPHABET =
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
            private final SecureRandom random = new SecureRandom();

            @Override
            public void nextBytes(byte[] bytes) {
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) ALPHABET.charAt(random.nextInt(ALPHABET.length()));
                }
            }
        };
    }
}

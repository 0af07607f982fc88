package dev.shoal.controller.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.shoal.controller.secrets.SecretBox.SecretBoxException;
import dev.shoal.controller.store.Sqlite3;
import dev.shoal.controller.testing.JobBodies;
import dev.shoal.controller.testing.TestController;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AES-256-GCM sealing, the key file that holds its key, and the binding of a database to that key. */
@Timeout(120)
class SecretBoxTest {
    private static final String CONTEXT = "job:01J0TESTJOB:bmc_password";
    private static final byte[] PLAIN = "bmc-pass-Zq8Y3vLr".getBytes(StandardCharsets.UTF_8);

    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path tmp;

    private byte[] newKey() {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return k;
    }

    @Test
    void sealThenOpenRoundTrips() {
        SecretBox box = new SecretBox(newKey(), random);

        byte[] sealed = box.seal(PLAIN, CONTEXT);

        assertThat(box.open(sealed, CONTEXT)).isEqualTo(PLAIN);
        assertThat(box.openSecret(box.seal(Secret.of("pässwörd €"), CONTEXT), CONTEXT).reveal()).isEqualTo("pässwörd €");
        assertThat(box.open(box.seal(new byte[0], CONTEXT), CONTEXT)).isEmpty();
        // version byte + 12-byte nonce + ciphertext + 16-byte tag, and the plaintext is nowhere in it
        assertThat(sealed).hasSize(1 + 12 + PLAIN.length + 16);
        assertThat(indexOf(sealed, PLAIN)).isEqualTo(-1);
        // a fresh nonce every time: equal plaintexts do not give equal ciphertexts
        assertThat(box.seal(PLAIN, CONTEXT)).isNotEqualTo(sealed);
    }

    @Test
    void anotherContextDoesNotOpen() {
        SecretBox box = new SecretBox(newKey(), random);
        byte[] sealed = box.seal(PLAIN, CONTEXT);

        assertThatThrownBy(() -> box.open(sealed, "job:01J0TESTJOB:recipe_secrets"))
                .isInstanceOf(SecretBoxException.class)
                .hasMessageContaining("job:01J0TESTJOB:recipe_secrets");
        assertThatThrownBy(() -> box.open(sealed, "job:01J0OTHERJOB:bmc_password"))
                .isInstanceOf(SecretBoxException.class);
        assertThatThrownBy(() -> box.open(sealed, ""))
                .isInstanceOf(SecretBoxException.class);
    }

    @Test
    void anotherKeyDoesNotOpen() {
        byte[] key = newKey();
        byte[] sealed = new SecretBox(key, random).seal(PLAIN, CONTEXT);
        byte[] other = key.clone();
        other[31] ^= 1;

        assertThatThrownBy(() -> new SecretBox(other, random).open(sealed, CONTEXT))
                .isInstanceOf(SecretBoxException.class)
                .hasMessageContaining("wrong key file");
        assertThatThrownBy(() -> new SecretBox(newKey(), random).open(sealed, CONTEXT))
                .isInstanceOf(SecretBoxException.class);
        assertThat(new SecretBox(key, random).open(sealed, CONTEXT)).isEqualTo(PLAIN);
    }

    @Test
    void tamperingWithAnyByteIsDetected() {
        SecretBox box = new SecretBox(newKey(), random);
        byte[] sealed = box.seal(PLAIN, CONTEXT);

        for (int i = 0; i < sealed.length; i++) {
            for (int bit : new int[] {0x01, 0x80}) {
                byte[] t = sealed.clone();
                t[i] ^= (byte) bit;
                int at = i;
                assertThatThrownBy(() -> box.open(t, CONTEXT)).as("flipped bit %x of byte %d", bit, at)
                        .isInstanceOf(SecretBoxException.class);
            }
        }
        assertThatThrownBy(() -> box.open(Arrays.copyOf(sealed, sealed.length - 1), CONTEXT))
                .isInstanceOf(SecretBoxException.class);
        assertThatThrownBy(() -> box.open(Arrays.copyOf(sealed, 10), CONTEXT))
                .isInstanceOf(SecretBoxException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> box.open(new byte[0], CONTEXT)).isInstanceOf(SecretBoxException.class);
        byte[] longer = Arrays.copyOf(sealed, sealed.length + 1);
        assertThatThrownBy(() -> box.open(longer, CONTEXT)).isInstanceOf(SecretBoxException.class);
        assertThat(box.open(sealed, CONTEXT)).isEqualTo(PLAIN);
    }

    @Test
    void onlyA32ByteKeyIsAccepted() {
        assertThatThrownBy(() -> new SecretBox(new byte[16], random)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void fingerprintIdentifiesTheKeyWithoutRevealingIt() {
        byte[] key = newKey();
        String fp = new SecretBox(key, random).fingerprint();

        assertThat(fp).matches("[0-9a-f]{16}");
        assertThat(new SecretBox(key.clone(), random).fingerprint()).isEqualTo(fp);
        assertThat(new SecretBox(newKey(), random).fingerprint()).isNotEqualTo(fp);
        assertThat(java.util.HexFormat.of().formatHex(key)).doesNotContain(fp);
    }

    @Test
    void keyFileIsCreatedOwnerOnlyAndReloadsTheSameKey() throws Exception {
        Path keys = Files.createDirectories(tmp.resolve("keys"));
        Path file = keys.resolve("secrets.key");

        byte[] created = KeyFile.loadOrCreate(file, random);

        assertThat(created).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).startsWith("shoal-secret-key-v1 ").endsWith("\n");
        assertThat(KeyFile.loadOrCreate(file, random)).isEqualTo(created);
        assertThat(KeyFile.load(file)).isEqualTo(created);
        try (Stream<Path> files = Files.list(keys)) {
            assertThat(files.toList()).as("no temporary file left beside the key").containsExactly(file);
        }
        // and a second file is a different key
        assertThat(KeyFile.loadOrCreate(keys.resolve("other.key"), random)).isNotEqualTo(created);
    }

    @Test
    void startsRacingOnAMissingKeyFileAllEndUpWithTheKeyOnDisk() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 20; round++) {
                Path file = Files.createDirectories(tmp.resolve("race-" + round)).resolve("secrets.key");
                CyclicBarrier barrier = new CyclicBarrier(threads);
                List<Future<byte[]>> keys = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    keys.add(pool.submit(() -> {
                        barrier.await(10, TimeUnit.SECONDS);
                        return KeyFile.loadOrCreate(file, new SecureRandom());
                    }));
                }
                byte[] onDisk = null;
                Set<String> distinct = new HashSet<>();
                for (Future<byte[]> k : keys) {
                    distinct.add(Base64.getEncoder().encodeToString(k.get(30, TimeUnit.SECONDS)));
                }
                onDisk = KeyFile.load(file);
                assertThat(distinct).as("keys handed out in round %d", round)
                        .containsExactly(Base64.getEncoder().encodeToString(onDisk));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-rw-rw-", "r--r--r--"})
    void keyFileReadableByOthersIsRefused(String mode) throws Exception {
        Path file = tmp.resolve("secrets.key");
        byte[] key = KeyFile.loadOrCreate(file, random);
        assertThat(KeyFile.load(file)).isEqualTo(key);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

        assertThatThrownBy(() -> KeyFile.load(file)).isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("chmod 600");
        assertThatThrownBy(() -> KeyFile.loadOrCreate(file, random)).isInstanceOf(IOException.class);
        assertThat(file).exists();
    }

    @Test
    void damagedKeyFilesAreRefusedWithAClearMessage() throws Exception {
        String good = Base64.getEncoder().encodeToString(newKey());
        assertThat(load("shoal-secret-key-v1 " + good + "\n")).isNull();

        assertThat(load("shoal-secret-key-v1 " + good.substring(0, 20) + "\n")).contains("damaged");
        assertThat(load("shoal-secret-key-v1 " + Base64.getEncoder().encodeToString(new byte[16])))
                .contains("damaged (key is 16 bytes, not 32)");
        assertThat(load("shoal-secret-key-v1 !!!not-base64!!!")).contains("damaged (bad base64)");
        assertThat(load("")).contains("is not a Shoal key file");
        assertThat(load("-----BEGIN PRIVATE KEY-----\nMIIE...\n")).contains("is not a Shoal key file");
        assertThat(load(good)).contains("is not a Shoal key file");
    }

    /** Writes an owner-only key file with this text and loads it: the error message, or null if it loaded. */
    private String load(String text) throws IOException {
        Path file = tmp.resolve("k-" + System.nanoTime() + ".key");
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Throwable t = catchThrowable(() -> KeyFile.loadOrCreate(file, random));
        if (t != null) {
            assertThat(t).isInstanceOf(IOException.class).hasMessageStartingWith(file.toString());
            assertThat(Files.readString(file, StandardCharsets.US_ASCII)).as("a refused key file is left as it was")
                    .isEqualTo(text);
        }
        return t == null ? null : t.getMessage();
    }

    @Test
    void theControllerRefusesADatabaseWrittenUnderAnotherKey() throws Exception {
        Path root = tmp.resolve("shoal");
        Path keyFile = root.resolve("keys/secrets.key");
        Path db = root.resolve("db/provisioner.db");
        String jobId;
        try (TestController c = TestController.local(root)) {
            var created = c.post("/api/v1/jobs", JobBodies.image());
            assertThat(created.statusCode()).isEqualTo(201);
            jobId = dev.shoal.controller.http.Json.MAPPER.readTree(created.body()).get("id").asText();
        }
        byte[] original = Files.readAllBytes(keyFile);
        String boundFingerprint = new SecretBox(KeyFile.load(keyFile), random).fingerprint();
        assertThat(Sqlite3.query(db, "SELECT value FROM controller_meta WHERE name = 'secret_key_fingerprint'"))
                .containsExactly(boundFingerprint);

        Files.delete(keyFile);
        String otherFingerprint = new SecretBox(KeyFile.loadOrCreate(keyFile, random), random).fingerprint();
        assertThat(otherFingerprint).isNotEqualTo(boundFingerprint);

        Throwable refused = catchThrowable(() -> {
            try (TestController c = TestController.local(root)) {
                c.get("/api/v1/jobs"); // not reached if the start is refused
            }
        });

        assertThat(refused).isNotNull().hasMessageContaining("fingerprint")
                .hasMessageContaining(boundFingerprint).hasMessageContaining(otherFingerprint)
                .hasMessageContaining(keyFile.toString());
        assertThat(Sqlite3.query(db, "SELECT value FROM controller_meta WHERE name = 'secret_key_fingerprint'"))
                .as("a refused start does not rebind the database").containsExactly(boundFingerprint);

        // putting the right key back makes the same database start and its job readable again
        Files.write(keyFile, original);
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
        try (TestController c = TestController.local(root)) {
            assertThat(c.get("/api/v1/jobs/" + jobId).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void theControllerRefusesAKeyFileOthersCanRead() throws Exception {
        Path root = tmp.resolve("shoal");
        Path keyFile = root.resolve("keys/secrets.key");
        try (TestController c = TestController.local(root)) {
            assertThat(c.get("/api/v1/jobs").statusCode()).isEqualTo(200);
        }
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));

        Throwable refused = catchThrowable(() -> TestController.local(root).close());

        assertThat(refused).isInstanceOf(IOException.class).hasMessageContaining("chmod 600");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

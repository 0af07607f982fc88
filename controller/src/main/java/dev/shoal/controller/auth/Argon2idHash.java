package dev.shoal.controller.auth;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** An argon2id hash in PHC form: {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}. */
public final class Argon2idHash implements PasswordHash {

    static final int VERSION_10 = Argon2Parameters.ARGON2_VERSION_10;
    static final int VERSION_13 = Argon2Parameters.ARGON2_VERSION_13;

    // Bounds so that a hostile or mistyped configuration cannot make one login take minutes or exhaust the heap.
    static final long MAX_MEMORY_KIB = 256L * 1024; // 256 MiB: the launcher runs with a 512 MiB heap
    static final int MAX_ITERATIONS = 100;
    static final int MAX_PARALLELISM = 64;
    static final long MAX_WORK_KIB = 2L * 1024 * 1024; // m * t: 2 GiB of memory passes, about 1.5 s with BC
    static final int MIN_SALT_BYTES = 8;
    static final int MAX_SALT_BYTES = 64;
    static final int MIN_HASH_BYTES = 16;
    static final int MAX_HASH_BYTES = 128;

    private static final String FORM = "$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>";

    private final int version;
    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final byte[] salt;
    private final byte[] hash;

    Argon2idHash(int version, int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] hash) {
        this.version = version;
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.salt = salt.clone();
        this.hash = hash.clone();
    }

    static Argon2idHash parse(String s) {
        String[] parts = s.split("\\$", -1);
        String variant = parts[1];
        if (variant.equals("argon2i") || variant.equals("argon2d")) {
            throw new IllegalArgumentException(
                    variant + " hashes are not supported, only argon2id (argon2 -id)");
        }
        if (!variant.equals("argon2id")) {
            throw new IllegalArgumentException("unknown argon2 variant, only argon2id is supported");
        }
        int version;
        int next;
        if (parts.length == 6 && parts[2].startsWith("v=")) {
            version = switch ((int) number(parts[2].substring(2), "version v", 99)) {
                case 19 -> VERSION_13;
                case 16 -> VERSION_10;
                default -> throw new IllegalArgumentException("argon2id version v must be 19 or 16");
            };
            next = 3;
        } else if (parts.length == 5 && !parts[2].startsWith("v=")) {
            version = VERSION_10; // strings from before Argon2 1.3 have no v= field
            next = 2;
        } else {
            throw new IllegalArgumentException("argon2id hash does not have the form " + FORM);
        }

        Map<String, String> params = new HashMap<>();
        for (String param : parts[next].split(",", -1)) {
            int eq = param.indexOf('=');
            String key = eq < 0 ? param : param.substring(0, eq);
            if (eq < 0 || !(key.equals("m") || key.equals("t") || key.equals("p"))) {
                throw new IllegalArgumentException("argon2id parameters must be m=<KiB>,t=<passes>,p=<lanes>");
            }
            if (params.put(key, param.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("argon2id parameter " + key + " is given twice");
            }
        }
        long m = number(required(params, "m"), "memory m", MAX_MEMORY_KIB);
        long t = number(required(params, "t"), "iterations t", MAX_ITERATIONS);
        long p = number(required(params, "p"), "parallelism p", MAX_PARALLELISM);
        if (m < 8 * p) {
            throw new IllegalArgumentException("argon2id memory m must be at least 8 KiB per lane (8 * p)");
        }
        if (m * t > MAX_WORK_KIB) {
            throw new IllegalArgumentException(
                    "argon2id memory m times iterations t is above the limit of " + MAX_WORK_KIB + " KiB");
        }
        byte[] salt = base64(parts[next + 1], "salt", MIN_SALT_BYTES, MAX_SALT_BYTES);
        byte[] hash = base64(parts[next + 2], "hash", MIN_HASH_BYTES, MAX_HASH_BYTES);
        return new Argon2idHash(version, (int) m, (int) t, (int) p, salt, hash);
    }

    private static String required(Map<String, String> params, String key) {
        String value = params.get(key);
        if (value == null) {
            throw new IllegalArgumentException("argon2id parameter " + key + " is missing");
        }
        return value;
    }

    // Values are not quoted in messages: they are part of the hash text.
    private static long number(String value, String what, long max) {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("argon2id " + what + " is not a number");
        }
        if (value.length() > 18 || Long.parseLong(value) < 1 || Long.parseLong(value) > max) {
            throw new IllegalArgumentException("argon2id " + what + " is out of range 1.." + max);
        }
        return Long.parseLong(value);
    }

    private static byte[] base64(String value, String what, int min, int max) {
        // PHC uses standard base64 without padding; Java's decoder would also take padding and ignore spare bits.
        if (!value.chars().allMatch(c -> c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                || c == '+' || c == '/')) {
            throw new IllegalArgumentException("argon2id " + what + " is not unpadded standard base64");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            // not chained: the decoder's message quotes the offending input
            throw new IllegalArgumentException("argon2id " + what + " is not unpadded standard base64");
        }
        if (bytes.length < min || bytes.length > max) {
            throw new IllegalArgumentException(
                    "argon2id " + what + " must be " + min + ".." + max + " bytes, not " + bytes.length);
        }
        return bytes;
    }

    static byte[] derive(byte[] password, int version, int memoryKiB, int iterations, int parallelism,
                         byte[] salt, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(version)
                .withMemoryAsKB(memoryKiB)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    @Override
    public boolean matchesUtf8(byte[] password) {
        byte[] computed = derive(password, version, memoryKiB, iterations, parallelism, salt, hash.length);
        return MessageDigest.isEqual(computed, hash);
    }

    /** The PHC string, always with a {@code v=} field. */
    String encoded() {
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=" + version + "$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism
                + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    @Override
    public String algorithm() {
        return "argon2id";
    }

    @Override
    public String toString() {
        return "PasswordHash[argon2id, v=" + version + ", m=" + memoryKiB + " KiB, t=" + iterations
                + ", p=" + parallelism + "]";
    }
}

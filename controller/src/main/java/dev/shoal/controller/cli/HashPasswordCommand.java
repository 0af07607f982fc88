package dev.shoal.controller.cli;

import dev.shoal.controller.auth.PasswordHasher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** Reads a password on stdin and prints a hash for BASIC_PASS_HASH (or an htpasswd line for the registry). */
@Command(name = "hash-password", mixinStandardHelpOptions = true,
        description = {"Read a password from standard input (one line) and print its hash for BASIC_PASS_HASH.",
                "Example: printf '%s' \"$PASSWORD\" | shoal-controller hash-password"})
final class HashPasswordCommand implements Callable<Integer> {
    @Option(names = "--algorithm", description = "bcrypt (default, as htpasswd -B) or argon2id", defaultValue = "bcrypt")
    String algorithm;

    @Option(names = "--cost", description = "bcrypt cost, 4..31 (default ${DEFAULT-VALUE})", defaultValue = "12")
    int cost;

    private final Console console;

    HashPasswordCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws IOException {
        // Refuse bad options before the operator types a password for nothing.
        if (!algorithm.equals("bcrypt") && !algorithm.equals("argon2id")) {
            console.err().println("shoal-controller: hash-password: --algorithm must be bcrypt or argon2id");
            return Exit.USAGE;
        }
        if (algorithm.equals("bcrypt") && (cost < 4 || cost > 31)) {
            console.err().println("shoal-controller: hash-password: --cost " + cost + " is out of range 4..31");
            return Exit.USAGE;
        }
        char[] password = readLine();
        try {
            if (password.length == 0) {
                return Exit.failure(console, "hash-password: read an empty password from standard input");
            }
            PasswordHasher hasher = new PasswordHasher(new SecureRandom());
            String hash = switch (algorithm) {
                case "bcrypt" -> hasher.bcrypt(password, cost);
                case "argon2id" -> hasher.argon2id(password);
                default -> null;
            };
            if (hash == null) {
                console.err().println("shoal-controller: hash-password: --algorithm must be bcrypt or argon2id");
                return Exit.USAGE;
            }
            console.out().println(hash);
            return Exit.OK;
        } catch (IllegalArgumentException e) {
            return Exit.failure(console, "hash-password: " + e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    /** One line; a trailing CR/LF is not part of the password (echo adds one). */
    private char[] readLine() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = console.in().read()) != -1 && b != '\n') {
            buf.write(b);
        }
        byte[] bytes = buf.toByteArray();
        int len = bytes.length;
        if (len > 0 && bytes[len - 1] == '\r') {
            len--;
        }
        java.nio.CharBuffer decoded = StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes, 0, len));
        char[] chars = new char[decoded.remaining()];
        decoded.get(chars);
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(decoded.array(), '\0');
        return chars;
    }
}

package dev.shoal.controller.secrets;

import dev.shoal.controller.auth.PasswordHash;
import dev.shoal.controller.auth.PasswordHasher;
import dev.shoal.controller.config.AuthMode;
import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.config.ControllerConfig.ApiAuth;
import dev.shoal.controller.config.ControllerConfig.Secrets;
import dev.shoal.controller.config.Mode;
import dev.shoal.controller.store.AtomicFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * Local mode runs with no configuration at all, so it makes what production must be given: an admin
 * password (printed once, and kept like Jenkins' initialAdminPassword in a 0600 file), and the webhook and
 * URL-signing secrets. All are kept under STORAGE_ROOT/keys so signed URLs and logins survive a restart.
 */
public final class LocalBootstrap {
    public static final String ADMIN_PASSWORD_FILE = "initial-admin-password";
    public static final String SIGNED_URL_SECRET_FILE = "signed-url.secret";
    private static final String ADMIN_HASH_FILE = "admin-password.hash";

    private final SecureRandom random;
    private final PrintStream console;

    public LocalBootstrap(SecureRandom random, PrintStream console) {
        this.random = random;
        this.console = console;
    }

    public ControllerConfig complete(ControllerConfig config) throws IOException {
        if (config.mode() != Mode.LOCAL) {
            return config;
        }
        Path keys = config.paths().keysDir();
        AtomicFiles.ensureDirectory(keys);
        ControllerConfig c = config;
        ApiAuth auth = c.apiAuth();
        if (auth.mode() == AuthMode.BASIC && auth.passHash().isEmpty()) {
            c = c.withApiAuth(new ApiAuth(AuthMode.BASIC, auth.user(), Optional.of(adminHash(keys, auth.user()))));
        }
        Secrets s = c.secrets();
        return c.withSecrets(new Secrets(
                Optional.of(s.webhook().orElseGet(() -> kept(keys.resolve("webhook.secret")))),
                s.webhookPrevious(),
                Optional.of(s.signedUrl().orElseGet(() -> kept(keys.resolve(SIGNED_URL_SECRET_FILE))))));
    }

    private PasswordHash adminHash(Path keys, String user) throws IOException {
        Path hashFile = keys.resolve(ADMIN_HASH_FILE);
        if (!Files.exists(hashFile)) {
            String password = randomToken(18);
            String hash = new PasswordHasher(random).bcrypt(password.toCharArray(), 10);
            Path passwordFile = keys.resolve(ADMIN_PASSWORD_FILE);
            try {
                // create, not write: of two first starts racing, one hash wins and only its password is kept and shown
                AtomicFiles.create(hashFile, (hash + "\n").getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
                AtomicFiles.write(passwordFile, (password + "\n").getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
                console.println();
                console.println("Shoal local mode: generated API credentials (shown once; kept in " + passwordFile + ")");
                console.println("  user: " + user);
                console.println("  password: " + password);
                console.println();
                console.flush();
            } catch (FileAlreadyExistsException lostRace) {
                // the other start's credentials stand
            }
        }
        return PasswordHash.parse(Files.readString(hashFile, StandardCharsets.US_ASCII).strip());
    }

    private Secret kept(Path file) {
        try {
            if (!Files.exists(file)) {
                try {
                    AtomicFiles.create(file, (randomToken(48) + "\n").getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
                } catch (FileAlreadyExistsException raced) {
                    // another start made it first: use theirs
                }
            }
            return Secret.of(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot keep local secret " + file, e);
        }
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}

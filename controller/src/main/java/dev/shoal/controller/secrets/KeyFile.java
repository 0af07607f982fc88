package dev.shoal.controller.secrets;

import dev.shoal.controller.store.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The database encryption key: 32 random bytes in a 0600 file under STORAGE_ROOT/keys, generated on first
 * start. Losing it makes stored BMC passwords unreadable, so it belongs in every backup plan (docs/operations.md).
 */
public final class KeyFile {
    private static final String HEADER = "shoal-secret-key-v1 ";

    private KeyFile() {
    }

    public static byte[] loadOrCreate(Path file, SecureRandom random) throws IOException {
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            try {
                AtomicFiles.create(file, (HEADER + Base64.getEncoder().encodeToString(key) + "\n")
                        .getBytes(StandardCharsets.US_ASCII), AtomicFiles.OWNER_ONLY);
                return key;
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            }
        }
        return load(file);
    }

    public static byte[] load(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
            throw new IOException(file + " is readable by others (" + java.nio.file.attribute.PosixFilePermissions.toString(perms)
                    + "); chmod 600 it");
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!text.startsWith(HEADER)) {
            throw new IOException(file + " is not a Shoal key file");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.substring(HEADER.length()));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is damaged (bad base64)");
        }
        if (key.length != 32) {
            throw new IOException(file + " is damaged (key is " + key.length + " bytes, not 32)");
        }
        return key;
    }
}

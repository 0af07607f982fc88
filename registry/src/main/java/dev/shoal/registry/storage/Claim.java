package dev.shoal.registry.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Removes a file only if it is older than a cutoff, without losing a concurrent touch. Checking the mtime and then
 * deleting by name would race a writer that touches (or replaces) the file in between. Instead the file is first
 * renamed to a temp name (atomic: from then on no writer can reach it, a touch by name fails and the writer creates
 * the file anew), and the mtime of the file actually claimed is checked again. If a touch got in before the rename,
 * the file is young and goes back under its name, unless a writer has already put a new one there.
 */
final class Claim {
    /** Prefix of claimed files; listings skip {@code .tmp-} names, so a claimed file is invisible. */
    static final String PREFIX = ".tmp-gc-";

    private Claim() {
    }

    /** The size of {@code file} if it was (in a dry run: would be) removed; empty if it is young or gone. */
    static OptionalLong removeIfOlder(Path file, Instant cutoff, boolean dryRun) throws IOException {
        BasicFileAttributes seen = attributes(file);
        if (seen == null || !isOlder(seen, cutoff)) {
            return OptionalLong.empty();
        }
        if (dryRun) {
            return OptionalLong.of(seen.size());
        }
        Path claimed = file.resolveSibling(PREFIX + UUID.randomUUID());
        try {
            Files.move(file, claimed, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return OptionalLong.empty(); // removed by someone else meanwhile
        }
        BasicFileAttributes held = Files.readAttributes(claimed, BasicFileAttributes.class);
        if (!isOlder(held, cutoff)) {
            try {
                Files.createLink(file, claimed); // never replaces: a file a writer has just put there wins
            } catch (FileAlreadyExistsException e) {
                // same content (content-addressed) or a newer link/tag: the writer's copy stays
            }
            Files.delete(claimed);
            return OptionalLong.empty();
        }
        Files.delete(claimed);
        return OptionalLong.of(held.size());
    }

    static BasicFileAttributes attributes(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static boolean isOlder(BasicFileAttributes a, Instant cutoff) {
        return a.lastModifiedTime().toInstant().isBefore(cutoff);
    }
}

package dev.shoal.controller.registry;

import dev.shoal.controller.auth.PasswordHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry's users, from an htpasswd file ({@code user:hash}, bcrypt {@code $2y$/$2b$/$2a$} as {@code htpasswd -B}
 * writes them, or argon2id). Edits take effect without a restart: the file is looked at again at most once a
 * second (size, time and inode), and at once on {@link #reload()} (SIGHUP). A file that no longer parses is
 * reported, line by line, and the users already loaded stay: an edit in progress must not lock everyone out.
 */
public final class HtpasswdUsers {
    private static final Logger LOG = LoggerFactory.getLogger(HtpasswdUsers.class);
    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final Path file;
    private final InstantSource clock;
    private volatile Loaded loaded;
    private volatile long checkedAt;
    private volatile long generation;

    private record Loaded(Map<String, PasswordHash> users, Object stamp) {
    }

    /** A line that is not {@code user:hash}; the hash itself is never quoted. */
    public static final class InvalidFile extends RuntimeException {
        InvalidFile(String message) {
            super(message);
        }
    }

    /** Loads the file now; a file that cannot be read or parsed is an error naming it and the line. */
    public HtpasswdUsers(Path file, InstantSource clock) {
        this.file = file;
        this.clock = clock;
        this.loaded = load(file);
        this.checkedAt = clock.millis();
    }

    public Optional<PasswordHash> hash(String user) {
        generation();
        return Optional.ofNullable(loaded.users().get(user));
    }

    /**
     * Looks at the file (at most once a second) and returns a number that changes whenever the users changed, so a
     * cache of verified passwords knows to forget them.
     */
    public long generation() {
        long now = clock.millis();
        if (now - checkedAt >= RECHECK.toMillis()) {
            checkedAt = now;
            if (!Objects.equals(stamp(file), loaded.stamp())) {
                reload();
            }
        }
        return generation;
    }

    /** Reads the file again; true if it was taken, false if it did not parse (the old users stay). */
    public synchronized boolean reload() {
        try {
            Loaded next = load(file);
            boolean changed = !next.users().keySet().equals(loaded.users().keySet()) || !Objects.equals(next.stamp(), loaded.stamp());
            loaded = next;
            if (changed) {
                generation++;
                LOG.atInfo().addKeyValue("file", file.toString()).addKeyValue("users", next.users().size())
                        .log("registry users reloaded");
            }
            return true;
        } catch (InvalidFile e) {
            LOG.atError().addKeyValue("file", file.toString()).log(e.getMessage() + "; keeping the users loaded before");
            return false;
        }
    }

    public int size() {
        return loaded.users().size();
    }

    private static Loaded load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidFile("cannot read REGISTRY_USERS_FILE " + file + ": " + e.getMessage());
        }
        Map<String, PasswordHash> users = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new InvalidFile(file + " line " + (i + 1) + ": not user:hash");
            }
            String user = line.substring(0, colon);
            try {
                users.put(user, PasswordHash.parse(line.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw new InvalidFile(file + " line " + (i + 1) + " (user " + user + "): " + e.getMessage()
                        + "; make entries with `htpasswd -B`");
            }
        }
        return new Loaded(Map.copyOf(users), stamp(file));
    }

    private static Object stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(a.size(), a.lastModifiedTime().toMillis(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            return "missing";
        }
    }
}

package dev.shoal.iso;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes ISO 9660 images with Joliet and Rock Ridge (RRIP 1.10) extensions.
 *
 * <pre>{@code
 * IsoWriter.builder()
 *     .volumeId("SHOAL-TASK")
 *     .file("task.json", bytes)
 *     .file("openstack/latest/meta_data.json", bytes)
 *     .directory("empty")
 *     .writeTo(path);
 * }</pre>
 *
 * Rock Ridge carries the real names (up to 255 bytes of UTF-8) and modes; Joliet carries names up to 64 UCS-2
 * characters for Windows; the plain ISO 9660 names are mangled to the chosen interchange level. Instances are
 * immutable and can be written any number of times; files added from a {@link Path} are read at each write.
 */
public final class IsoWriter {
    public static final int DEFAULT_FILE_MODE = 0644;
    public static final int DEFAULT_DIRECTORY_MODE = 0755;
    /** Up to 32 characters (the field's size); lower case is allowed on purpose (see {@link Builder#volumeId}). */
    private static final Pattern VOLUME_ID = Pattern.compile("[A-Za-z0-9_.\\- ]{1,32}");

    private final Node.Dir root;
    private final VolumeInfo info;

    private IsoWriter(Node.Dir root, VolumeInfo info) {
        this.root = root;
        this.info = info;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Size the image will have, in bytes (reads the sizes of files added from paths). */
    public long size() throws IOException {
        return Layout.of(root, info).imageSize();
    }

    /** Streams the image to {@code out} (not closed). */
    public void writeTo(OutputStream out) throws IOException {
        new ImageWriter(Layout.of(root, info), out).write();
    }

    /**
     * Writes the image to {@code target} crash-safely: to a temporary file in the same directory, fsynced, then
     * renamed over the target, and the directory fsynced, so a crash leaves the old image or the new one, never half.
     */
    public void writeTo(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 20);
                writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        fsyncDirectory(dir);
    }

    private static void fsyncDirectory(Path dir) {
        // Makes the rename durable. Opening a directory for reading works on Linux; where it does not, the
        // platform offers no way to do this from Java and the rename is as durable as the OS makes it.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // best effort, see above
        }
    }

    /** The whole image in memory; for small images (tests, task ISOs). */
    public byte[] toByteArray() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeTo(out);
        return out.toByteArray();
    }

    /** Collects the tree. Not thread-safe; {@link #build()} takes a snapshot, so a builder can be reused. */
    public static final class Builder {
        private final MutableDir root = new MutableDir(DEFAULT_DIRECTORY_MODE);
        private String volumeId = "CDROM";
        private int level = 1;
        private Instant time;
        private String publisherId = "";
        private String applicationId = "SHOAL";

        private Builder() {}

        /**
         * The volume label, as blkid and udev ({@code /dev/disk/by-label}) show it. Recorded exactly as given:
         * ECMA-119 wants upper case d-characters, but cloud-init finds its config drive by the label "config-2",
         * and genisoimage/xorriso -V record lower case too. Letters, digits, '_', '-', '.' and space; 1-32 chars.
         */
        public Builder volumeId(String id) {
            if (id == null || !VOLUME_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("volume id must be 1-32 of A-Z a-z 0-9 _ - . and space: " + id);
            }
            this.volumeId = id;
            return this;
        }

        /** ISO 9660 interchange level 1 (default, 8.3 names), 2 or 3 (31-character names). */
        public Builder level(int level) {
            if (level < 1 || level > 3) throw new IllegalArgumentException("ISO 9660 level must be 1, 2 or 3: " + level);
            this.level = level;
            return this;
        }

        /**
         * Fixes every time stamp in the image, which makes the output depend on content alone (same input, same
         * bytes). Without it, the time {@link #build()} is called is used. Whole seconds are recorded.
         */
        public Builder timestamp(Instant time) {
            this.time = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.SECONDS);
            int year = this.time.atZone(java.time.ZoneOffset.UTC).getYear();
            if (year < 1900 || year > 2155) throw new IllegalArgumentException("ISO 9660 dates span 1900-2155: " + time);
            return this;
        }

        public Builder publisherId(String id) {
            this.publisherId = aChars(id, "publisher id");
            return this;
        }

        public Builder applicationId(String id) {
            this.applicationId = aChars(id, "application id");
            return this;
        }

        public Builder file(String path, byte[] content) {
            return file(path, content, DEFAULT_FILE_MODE);
        }

        /** A file whose bytes are copied now, with POSIX permission bits {@code mode} (e.g. 0755). */
        public Builder file(String path, byte[] content, int mode) {
            Objects.requireNonNull(content, "content");
            return add(path, new Node.InMemory(content.clone()), mode);
        }

        public Builder file(String path, String utf8) {
            return file(path, utf8.getBytes(StandardCharsets.UTF_8));
        }

        public Builder file(String path, Path source) {
            return file(path, source, DEFAULT_FILE_MODE);
        }

        /** A file streamed from {@code source} each time the image is written: large files never sit in memory. */
        public Builder file(String path, Path source, int mode) {
            Objects.requireNonNull(source, "source");
            if (!Files.isRegularFile(source)) throw new UncheckedIOException(new java.nio.file.NoSuchFileException(source.toString()));
            return add(path, new Node.FromFile(source), mode);
        }

        public Builder directory(String path) {
            return directory(path, DEFAULT_DIRECTORY_MODE);
        }

        /** A directory (and its parents); it may stay empty. Adding an existing directory changes its mode. */
        public Builder directory(String path, int mode) {
            checkMode(mode);
            List<String> parts = split(path);
            MutableDir d = root;
            for (String p : parts) d = d.dir(p, path);
            d.mode = mode;
            return this;
        }

        private Builder add(String path, Node.Content content, int mode) {
            checkMode(mode);
            List<String> parts = split(path);
            MutableDir d = root;
            for (String p : parts.subList(0, parts.size() - 1)) d = d.dir(p, path);
            String name = parts.getLast();
            if (d.entries.containsKey(name)) throw new IllegalArgumentException("duplicate path: " + path);
            d.entries.put(name, new Node.File(name, mode, content));
            return this;
        }

        public IsoWriter build() {
            Instant t = time != null ? time : Instant.now().truncatedTo(ChronoUnit.SECONDS);
            return new IsoWriter(root.freeze(""), new VolumeInfo(volumeId, level, t, publisherId, applicationId));
        }

        public void writeTo(Path target) throws IOException {
            build().writeTo(target);
        }

        public void writeTo(OutputStream out) throws IOException {
            build().writeTo(out);
        }

        public byte[] toByteArray() throws IOException {
            return build().toByteArray();
        }

        private static void checkMode(int mode) {
            if ((mode & ~07777) != 0) throw new IllegalArgumentException("mode must be permission bits (07777): " + Integer.toOctalString(mode));
        }

        private static String aChars(String s, String what) {
            if (s == null || s.length() > 128 || !s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException(what + " must be up to 128 printable ASCII characters: " + s);
            }
            return s;
        }

        /** "a/b/c" into its names; leading, trailing and doubled slashes are tolerated, "." and ".." are not. */
        private static List<String> split(String path) {
            Objects.requireNonNull(path, "path");
            List<String> parts = new ArrayList<>();
            for (String p : path.split("/")) {
                if (p.isEmpty()) continue;
                if (p.equals(".") || p.equals("..") || p.indexOf('\0') >= 0) {
                    throw new IllegalArgumentException("invalid path: " + path);
                }
                // Linux NAME_MAX; Rock Ridge itself could hold more, but no reader could create the file.
                if (p.getBytes(StandardCharsets.UTF_8).length > 255) {
                    throw new IllegalArgumentException("name longer than 255 bytes in: " + path);
                }
                parts.add(p);
            }
            if (parts.isEmpty()) throw new IllegalArgumentException("empty path: " + path);
            return parts;
        }
    }

    /** The builder's tree, frozen into {@link Node} records by {@link Builder#build()}. */
    private static final class MutableDir {
        final Map<String, Object> entries = new TreeMap<>(); // MutableDir or Node.File; sorted for determinism
        int mode;

        MutableDir(int mode) {
            this.mode = mode;
        }

        MutableDir dir(String name, String path) {
            Object e = entries.computeIfAbsent(name, k -> new MutableDir(DEFAULT_DIRECTORY_MODE));
            if (e instanceof MutableDir d) return d;
            throw new IllegalArgumentException("a file is in the way of directory " + name + " in " + path);
        }

        Node.Dir freeze(String name) {
            List<Node> children = new ArrayList<>();
            entries.forEach((n, e) -> children.add(e instanceof MutableDir d ? d.freeze(n) : (Node.File) e));
            return new Node.Dir(name, mode, children);
        }
    }
}

package dev.shoal.registry.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.manifest.Descriptor;
import dev.shoal.registry.manifest.InvalidManifestException;
import dev.shoal.registry.manifest.ManifestParser;
import dev.shoal.registry.manifest.ParsedManifest;
import dev.shoal.registry.name.RepositoryName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Reads a repository's tags, revisions and manifests from the files, for marking and retention. */
final class ManifestGraph {
    private final FsLayout layout;
    private final ManifestParser parser = new ManifestParser();
    private final ObjectMapper json = new ObjectMapper();

    ManifestGraph(FsLayout layout) {
        this.layout = layout;
    }

    /** Every repository: a directory under repos/ holding {@code _layers}, {@code _manifests} or {@code _referrers}. */
    List<RepositoryName> repositories() throws IOException {
        Set<RepositoryName> out = new java.util.LinkedHashSet<>();
        walk(layout.repos(), new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.getFileName().toString().startsWith("_")) {
                    return FileVisitResult.CONTINUE;
                }
                try {
                    out.add(new RepositoryName(layout.repos().relativize(dir.getParent()).toString().replace('\\', '/')));
                } catch (IllegalArgumentException e) {
                    // not ours (a repository name never starts a component with '_'); leave it alone
                }
                return FileVisitResult.SKIP_SUBTREE;
            }
        });
        return List.copyOf(out);
    }

    /** Temp files under {@code tree}: ours, or a claim, perhaps left by a crash. */
    static List<Path> tempFiles(Path tree) throws IOException {
        List<Path> out = new ArrayList<>();
        walk(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && file.getFileName().toString().startsWith(".tmp-")) {
                    out.add(file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    /**
     * Walks a tree that the registry changes while we walk: an entry that vanishes (a temp file renamed into place)
     * is skipped, not an error.
     */
    private static void walk(Path tree, SimpleFileVisitor<Path> visitor) throws IOException {
        if (!Files.isDirectory(tree)) {
            return;
        }
        Files.walkFileTree(tree, new java.nio.file.FileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                return visitor.preVisitDirectory(dir, attrs);
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                return visitor.visitFile(file, attrs);
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** The digest a tag file points at; empty if it is gone or unreadable. */
    Optional<Digest> tagTarget(Path tagFile) throws IOException {
        try {
            return Optional.of(Digest.parse(Files.readString(tagFile, StandardCharsets.US_ASCII).strip()));
        } catch (NoSuchFileException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The repository's revision files. */
    List<Path> revisionFiles(RepositoryName repo) throws IOException {
        return digestFiles(layout.repo(repo).resolve("_manifests").resolve("revisions"));
    }

    /** The repository's layer link files. */
    List<Path> layerLinkFiles(RepositoryName repo) throws IOException {
        return digestFiles(layout.repo(repo).resolve("_layers"));
    }

    /** {@code dir/{alg}/{hex}} files, skipping temp names. */
    static List<Path> digestFiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path alg : list(dir)) {
            if (Files.isDirectory(alg)) {
                out.addAll(list(alg));
            }
        }
        return out;
    }

    /** The digest {@code dir/{alg}/{hex}} names; empty for a temp or foreign name. */
    static Optional<Digest> digestOf(Path file) {
        try {
            return Optional.of(Digest.parse(file.getParent().getFileName() + ":" + file.getFileName()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Entries of {@code dir} without temp names; empty if it does not exist. */
    static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".tmp-")).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** The revision's subject, if it has one. */
    Optional<Digest> subject(RepositoryName repo, Digest manifest) throws IOException {
        return revision(repo, manifest).map(r -> r.get("subject")).filter(JsonNode::isTextual)
                .flatMap(s -> {
                    try {
                        return Optional.of(Digest.parse(s.asText()));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                });
    }

    private Optional<JsonNode> revision(RepositoryName repo, Digest manifest) throws IOException {
        try {
            return Optional.of(json.readTree(Files.readAllBytes(layout.revision(repo, manifest))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // unreadable JSON: treated as no subject
        }
    }

    /** The manifest as parsed, or empty if its content is gone or not a manifest we understand. */
    Optional<ParsedManifest> parse(RepositoryName repo, Digest manifest) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(layout.blob(manifest));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String mediaType = revision(repo, manifest).map(r -> r.path("mediaType").asText("")).orElse("");
        try {
            return Optional.of(parser.parse(content, mediaType));
        } catch (InvalidManifestException e) {
            return Optional.empty();
        }
    }

    /** The manifests in this repository whose subject is {@code subject}. */
    List<Digest> referrers(RepositoryName repo, Digest subject) throws IOException {
        List<Digest> out = new ArrayList<>();
        for (Path f : list(layout.referrers(repo, subject))) {
            String n = f.getFileName().toString();
            int dash = n.indexOf('-');
            try {
                out.add(Digest.parse(n.substring(0, Math.max(dash, 0)) + ":" + n.substring(dash + 1)));
            } catch (IllegalArgumentException e) {
                // not a referrer entry
            }
        }
        return out;
    }

    /**
     * The manifests {@code roots} keep in {@code repo}: themselves, an index's children, and the referrers of a kept
     * manifest, transitively.
     */
    Set<Digest> keptFrom(RepositoryName repo, Collection<Digest> roots) throws IOException {
        Set<Digest> kept = new HashSet<>();
        Deque<Digest> todo = new ArrayDeque<>(roots);
        while (!todo.isEmpty()) {
            Digest d = todo.pop();
            if (!kept.add(d)) {
                continue;
            }
            Optional<ParsedManifest> m = parse(repo, d);
            if (m.isPresent()) {
                m.get().manifests().stream().map(Descriptor::digest).forEach(todo::push);
            }
            referrers(repo, d).forEach(todo::push);
        }
        return kept;
    }
}

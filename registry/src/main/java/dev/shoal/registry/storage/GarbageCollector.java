package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.manifest.Descriptor;
import dev.shoal.registry.manifest.ParsedManifest;
import dev.shoal.registry.name.RepositoryName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Mark and sweep over a store's files, safe while the registry serves, from the same process or another one.
 *
 * <p>Order: abandoned uploads, then tag retention, then mark, then sweep. Mark: every manifest that a tag or a
 * revision link of any repository names, with an index's children and an image manifest's config and layers.
 * (Referrers are revisions of their repository, so they are kept with it; retention decides when they go.) Sweep:
 * {@code _layers} links and blobs not marked and older than the grace.
 *
 * <p>Why no lock is needed: the sweep only takes files that are unmarked <em>and</em> older than the grace, and it
 * takes each with {@link Claim} (rename, then recheck the mtime of what it holds). Whatever the registry uses while
 * the run goes on is young: a new blob is born young; a commit or mount of an existing blob, and a manifest put for
 * each blob it references, touch the blob and the repository's link (see {@code FsBlobStore.link}). A touch before
 * the claim makes the claimed file young and it goes back; a touch after the claim finds no file and the writer
 * writes it anew (a manifest put whose blob was just taken fails with MANIFEST_BLOB_UNKNOWN instead of storing a
 * manifest with a missing blob). Manifests marked from revisions written before the mark are kept; a revision
 * written during the run touched everything it references first. Every step is one atomic file operation, so the
 * controller and {@code shoal-controller registry gc} can run at once; two collectors at once are safe too (a
 * claim of a file already claimed finds nothing). A push must finish within the grace: blobs uploaded longer ago
 * than the grace and not yet referenced by a manifest may go.
 */
public final class GarbageCollector {
    private final FsLayout layout;
    private final Clock clock;
    private final ManifestGraph graph;

    GarbageCollector(Path root, Clock clock) {
        this.layout = new FsLayout(root);
        this.clock = clock;
        this.graph = new ManifestGraph(layout);
    }

    /** Counters of one run; only this package's steps add to them. */
    static final class Tally {
        int tagsRemoved;
        int manifestsRemoved;
        int layerLinksRemoved;
        int blobsDeleted;
        long blobBytes;
        int uploadsDeleted;
        long uploadBytes;
        int tempFilesDeleted;
    }

    public GcReport run(GcPolicy policy) throws IOException {
        Instant start = clock.instant();
        long startNanos = System.nanoTime();
        Instant graceCutoff = start.minus(policy.grace());
        Instant uploadCutoff = start.minus(policy.uploadTimeout());
        boolean dry = policy.dryRun();
        Tally t = new Tally();

        purgeUploads(uploadCutoff, dry, t);
        List<RepositoryName> repos = graph.repositories();
        Set<Path> removed = new HashSet<>(); // tag and revision files retention removed (or, dry, would remove)
        if (policy.retainTags() > 0) {
            TagRetention retention = new TagRetention(layout, graph);
            for (RepositoryName repo : repos) {
                retention.apply(repo, policy.retainTags(), start, graceCutoff, dry, t, removed);
            }
        }
        Set<Digest> marked = mark(repos, removed);
        for (RepositoryName repo : repos) {
            for (Path link : graph.layerLinkFiles(repo)) {
                // a layer link alone does not keep a blob: layers are kept only through manifests
                if (ManifestGraph.digestOf(link).filter(d -> !marked.contains(d)).isPresent()
                        && Claim.removeIfOlder(link, graceCutoff, dry).isPresent()) {
                    t.layerLinksRemoved++;
                }
            }
        }
        for (Path blob : ManifestGraph.digestFiles(layout.blobs())) {
            if (ManifestGraph.digestOf(blob).filter(d -> !marked.contains(d)).isPresent()) {
                OptionalLong size = Claim.removeIfOlder(blob, graceCutoff, dry);
                if (size.isPresent()) {
                    t.blobsDeleted++;
                    t.blobBytes += size.getAsLong();
                }
            }
        }
        purgeTempFiles(layout.blobs(), uploadCutoff, dry, t);
        purgeTempFiles(layout.repos(), uploadCutoff, dry, t);
        return new GcReport(dry, t.tagsRemoved, t.manifestsRemoved, t.layerLinksRemoved, t.blobsDeleted, t.blobBytes,
                t.uploadsDeleted, t.uploadBytes, t.tempFilesDeleted, Duration.ofNanos(System.nanoTime() - startNanos));
    }

    private Set<Digest> mark(List<RepositoryName> repos, Set<Path> removed) throws IOException {
        Set<Digest> marked = new HashSet<>();
        for (RepositoryName repo : repos) {
            for (Path tag : ManifestGraph.list(layout.tags(repo))) {
                if (!removed.contains(tag)) {
                    Optional<Digest> d = graph.tagTarget(tag);
                    if (d.isPresent()) {
                        markManifest(repo, d.get(), marked);
                    }
                }
            }
            for (Path rev : graph.revisionFiles(repo)) {
                Optional<Digest> d = ManifestGraph.digestOf(rev);
                if (d.isPresent() && !removed.contains(rev)) {
                    markManifest(repo, d.get(), marked);
                }
            }
        }
        return marked;
    }

    private void markManifest(RepositoryName repo, Digest manifest, Set<Digest> marked) throws IOException {
        if (!marked.add(manifest)) {
            return; // blobs are global and content-addressed: the same digest references the same things
        }
        Optional<ParsedManifest> m = graph.parse(repo, manifest);
        if (m.isEmpty()) {
            return;
        }
        m.get().blobs().stream().map(Descriptor::digest).forEach(marked::add);
        for (Descriptor child : m.get().manifests()) {
            markManifest(repo, child.digest(), marked);
        }
    }

    /** Removes uploads/{uuid} whose data file (or, without one, directory) has not changed since {@code cutoff}. */
    private void purgeUploads(Instant cutoff, boolean dry, Tally t) throws IOException {
        for (Path dir : ManifestGraph.list(layout.uploads())) {
            Path data = dir.resolve("data");
            BasicFileAttributes a = Claim.attributes(data);
            if (a == null) {
                a = Claim.attributes(dir);
            }
            if (a == null || !a.lastModifiedTime().toInstant().isBefore(cutoff)) {
                continue;
            }
            t.uploadsDeleted++;
            t.uploadBytes += a.isRegularFile() ? a.size() : 0;
            if (!dry) {
                DurableFiles.deleteTree(dir);
            }
        }
    }

    /** Temp files (ours, or a claim) a crash left behind, older than {@code cutoff}. */
    private void purgeTempFiles(Path tree, Instant cutoff, boolean dry, Tally t) throws IOException {
        List<Path> temps = ManifestGraph.tempFiles(tree);
        for (Path p : temps) {
            BasicFileAttributes a = Claim.attributes(p);
            if (a != null && a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(cutoff)) {
                t.tempFilesDeleted++;
                if (!dry) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}

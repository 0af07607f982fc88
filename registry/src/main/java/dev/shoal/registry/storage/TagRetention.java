package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.name.RepositoryName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the newest N tags of a repository (by the tag file's mtime, which a push of the tag renews) and removes the
 * rest. A removed tag's manifest, and what hangs off it only (an index's children, referrers of a removed manifest),
 * lose their revision links too, unless something still kept reaches them: a remaining tag, a manifest retention did
 * not touch (e.g. one pushed by digest only), an index kept, or a kept subject (for referrers). Revisions younger
 * than the grace are left alone. Untagged manifests that no removed tag led to are never touched. Blobs are not
 * removed here: the mark and sweep that follow free whatever the removed manifests alone referenced.
 */
final class TagRetention {
    private final FsLayout layout;
    private final ManifestGraph graph;

    TagRetention(FsLayout layout, ManifestGraph graph) {
        this.layout = layout;
        this.graph = graph;
    }

    private record TagFile(Path file, Instant modified) {
    }

    /**
     * Applies retention to {@code repo}, adding every tag and revision file removed (in a dry run: that would be)
     * to {@code removed}.
     */
    void apply(RepositoryName repo, int keep, Instant runStart, Instant graceCutoff, boolean dryRun,
               GarbageCollector.Tally tally, Set<Path> removed) throws IOException {
        List<TagFile> tags = new ArrayList<>();
        for (Path f : ManifestGraph.list(layout.tags(repo))) {
            BasicFileAttributes a = Claim.attributes(f);
            if (a != null && a.isRegularFile()) {
                tags.add(new TagFile(f, a.lastModifiedTime().toInstant()));
            }
        }
        if (tags.size() <= keep) {
            return;
        }
        tags.sort(Comparator.comparing(TagFile::modified).reversed().thenComparing(TagFile::file));
        List<TagFile> drop = tags.subList(keep, tags.size());
        Set<Digest> kept = new HashSet<>();
        for (TagFile t : tags.subList(0, keep)) {
            graph.tagTarget(t.file()).ifPresent(kept::add);
        }
        Set<Digest> dropTargets = new HashSet<>();
        for (TagFile t : drop) {
            graph.tagTarget(t.file()).ifPresent(dropTargets::add);
        }
        Set<Digest> candidates = graph.keptFrom(repo, dropTargets);
        for (Path rev : graph.revisionFiles(repo)) {
            ManifestGraph.digestOf(rev).filter(d -> !candidates.contains(d)).ifPresent(kept::add);
        }
        Set<Digest> reachable = graph.keptFrom(repo, kept);

        for (TagFile t : drop) {
            // a tag pushed again after this run started is newer than runStart and stays
            if (Claim.removeIfOlder(t.file(), runStart, dryRun).isPresent()) {
                tally.tagsRemoved++;
                removed.add(t.file());
            }
        }
        for (Digest d : candidates) {
            if (reachable.contains(d)) {
                continue;
            }
            Path rev = layout.revision(repo, d);
            Optional<Digest> subject = graph.subject(repo, d);
            if (Claim.removeIfOlder(rev, graceCutoff, dryRun).isPresent()) {
                tally.manifestsRemoved++;
                removed.add(rev);
                if (!dryRun && subject.isPresent()) {
                    Files.deleteIfExists(layout.referrer(repo, subject.get(), d));
                }
            }
        }
    }
}

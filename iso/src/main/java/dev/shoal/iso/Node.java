package dev.shoal.iso;

import java.nio.file.Path;
import java.util.List;

/**
 * One entry of the tree an {@link IsoWriter} writes, frozen when the builder builds.
 *
 * <p>Records compare by value, so two empty directories with the same name are "equal": every map keyed by a node
 * is an {@link java.util.IdentityHashMap}.
 */
sealed interface Node permits Node.Dir, Node.File {
    /** The real (Rock Ridge) name of this entry; empty for the root. */
    String name();

    /** POSIX permission bits (e.g. 0644), recorded in the Rock Ridge PX entry. */
    int mode();

    record Dir(String name, int mode, List<Node> children) implements Node {
        public Dir {
            children = List.copyOf(children);
        }
    }

    record File(String name, int mode, Content content) implements Node {}

    /** Where a file's bytes come from: kept in memory, or streamed from disk when the image is written. */
    sealed interface Content permits InMemory, FromFile {}

    /** The array is owned by the node: the builder copies what callers pass in. */
    record InMemory(byte[] bytes) implements Content {}

    /** Read only while writing, so a 100 MB file never sits in memory; its size is taken at write time. */
    record FromFile(Path path) implements Content {}
}

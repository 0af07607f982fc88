package dev.shoal.iso;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * One directory hierarchy as recorded in the image: the ISO 9660 one (with Rock Ridge) or the Joliet one.
 *
 * <p>Both describe the same nodes and share file data, but their identifiers differ, and so do the order of records
 * in a directory and the order of directories in the path table (ECMA-119 6.9.1: by level, then parent number, then
 * identifier), which is why each namespace numbers its directories itself.
 */
final class Namespace {
    final boolean joliet;
    /** Directories in path table order; index + 1 is the directory number. */
    final List<Node.Dir> dirs = new ArrayList<>();
    final Map<Node.Dir, Integer> numbers = new IdentityHashMap<>();
    final Map<Node.Dir, Node.Dir> parents = new IdentityHashMap<>();
    /** Children of each directory in record order. */
    final Map<Node.Dir, List<Node>> sorted = new IdentityHashMap<>();
    /** Identifier of each non-root node as recorded (files end in ";1"). */
    final Map<Node, byte[]> ids = new IdentityHashMap<>();

    Namespace(Node.Dir root, boolean joliet, int level) {
        this.joliet = joliet;
        Queue<Node.Dir> queue = new ArrayDeque<>();
        queue.add(root);
        parents.put(root, root);
        while (!queue.isEmpty()) {
            Node.Dir d = queue.remove();
            dirs.add(d);
            numbers.put(d, dirs.size());
            List<String> names = joliet ? Naming.jolietNames(d.children()) : Naming.isoNames(d.children(), level);
            Map<Node, String> nameOf = new IdentityHashMap<>();
            for (int i = 0; i < names.size(); i++) nameOf.put(d.children().get(i), names.get(i));
            List<Node> kids = new ArrayList<>(d.children());
            kids.sort(Comparator.comparing(nameOf::get, Naming::compare));
            sorted.put(d, kids);
            for (Node k : kids) {
                String id = nameOf.get(k) + (k instanceof Node.File ? ";1" : "");
                ids.put(k, id.getBytes(joliet ? StandardCharsets.UTF_16BE : StandardCharsets.US_ASCII));
                if (k instanceof Node.Dir sub) {
                    parents.put(sub, d);
                    queue.add(sub);
                }
            }
        }
        if (dirs.size() > 0xFFFF) throw new IllegalArgumentException("too many directories for a path table: " + dirs.size());
    }

    Node.Dir root() {
        return dirs.getFirst();
    }

    /** Identifier of a directory in the path table: the root's is a single 0x00 byte. */
    byte[] pathTableId(Node.Dir d) {
        return d == root() ? new byte[] {0} : ids.get(d);
    }
}

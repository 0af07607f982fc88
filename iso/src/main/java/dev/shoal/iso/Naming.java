package dev.shoal.iso;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Maps real names to the restricted ISO 9660 and Joliet identifiers, and orders identifiers as ECMA-119 9.3 requires.
 *
 * <p>The real name is always kept in Rock Ridge NM entries; the mangled names only matter to readers that ignore
 * Rock Ridge (Windows reads Joliet, firmware may read plain ISO 9660), so they just have to be valid and unique.
 */
final class Naming {
    /** Joliet allows 64 UCS-2 characters per identifier; files also carry ";1", which we count against the 64. */
    static final int JOLIET_MAX = 64;

    private Naming() {}

    /** ISO 9660 names (without ";1") for the children of one directory, in the same order, unique in that directory. */
    static List<String> isoNames(List<Node> children, int level) {
        Set<String> used = new HashSet<>();
        List<String> out = new ArrayList<>(children.size());
        for (Node n : children) {
            boolean dir = n instanceof Node.Dir;
            String name = n.name();
            String base;
            String ext = "";
            int dot = name.lastIndexOf('.');
            if (dir || dot < 0) {
                base = dChars(name);
            } else {
                base = dChars(name.substring(0, dot));
                ext = dChars(name.substring(dot + 1));
            }
            // Level 1 is 8.3 (directories 8); levels 2 and 3 allow 30 characters for name + extension (directories 31).
            int maxExt = level == 1 ? 3 : 10;
            if (ext.length() > maxExt) ext = ext.substring(0, maxExt);
            int maxBase = dir ? (level == 1 ? 8 : 31) : (level == 1 ? 8 : 30 - ext.length());
            if (base.isEmpty() && ext.isEmpty()) base = "_";
            out.add(unique(used, base, maxBase, dir ? null : ext, false));
        }
        return out;
    }

    /** Joliet names (without ";1") for the children of one directory, in the same order, unique in that directory. */
    static List<String> jolietNames(List<Node> children) {
        Set<String> used = new HashSet<>();
        List<String> out = new ArrayList<>(children.size());
        for (Node n : children) {
            boolean dir = n instanceof Node.Dir;
            String name = ucs2(n.name());
            int max = dir ? JOLIET_MAX : JOLIET_MAX - 2;
            String base = name;
            String ext = null;
            int dot = name.lastIndexOf('.');
            // Keep a short extension when truncating so that "x...x.json" stays a .json file.
            if (name.length() > max && dot > 0 && name.length() - dot - 1 <= 10) {
                base = name.substring(0, dot);
                ext = name.substring(dot + 1);
                max -= ext.length() + 1;
            }
            out.add(unique(used, base, max, ext, true));
        }
        return out;
    }

    private static String unique(Set<String> used, String base, int maxBase, String ext, boolean caseInsensitive) {
        for (int i = 0; ; i++) {
            String suffix = i == 0 ? "" : Integer.toString(i);
            String b = base.length() + suffix.length() > maxBase
                ? base.substring(0, Math.max(0, maxBase - suffix.length())) + suffix
                : base + suffix;
            String candidate = ext == null ? b : b + "." + ext;
            // Joliet is read case-insensitively (Windows), so "A" and "a" must differ in more than case.
            if (used.add(caseInsensitive ? candidate.toUpperCase(Locale.ROOT) : candidate)) return candidate;
        }
    }

    /** d-characters: A-Z, 0-9 and '_' (ECMA-119 7.4.1). */
    private static String dChars(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c >= 'a' && c <= 'z') b.append((char) (c - 32));
            else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') b.append((char) c);
            else b.append('_');
        });
        return b.toString();
    }

    /** Joliet forbids control characters and * / : ; ? \ and, being UCS-2, anything outside the BMP. */
    private static String ucs2(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> b.append(c < 0x20 || c > 0xFFFF || "*/:;?\\".indexOf(c) >= 0 ? '_' : (char) c));
        return b.toString();
    }

    /**
     * ECMA-119 9.3 order: by name, then by extension, each compared as if padded with spaces. Works for Joliet
     * too, since UCS-2 big-endian byte order is Java char order.
     */
    static int compare(String a, String b) {
        int da = a.lastIndexOf('.');
        int db = b.lastIndexOf('.');
        String na = da < 0 ? a : a.substring(0, da);
        String nb = db < 0 ? b : b.substring(0, db);
        int c = padCompare(na, nb);
        if (c != 0) return c;
        return padCompare(da < 0 ? "" : a.substring(da + 1), db < 0 ? "" : b.substring(db + 1));
    }

    private static int padCompare(String a, String b) {
        int n = Math.max(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char ca = i < a.length() ? a.charAt(i) : ' ';
            char cb = i < b.length() ? b.charAt(i) : ' ';
            if (ca != cb) return Character.compare(ca, cb);
        }
        return 0;
    }
}

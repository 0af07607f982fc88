package dev.shoal.controller.registry;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a /v2/ request is about, for access control: the repository name (distribution-spec's name grammar, so it
 * can hold neither {@code ..} nor an empty segment) and whether it only reads. The registry itself validates the
 * rest; a path that names no repository ({@code /v2/}, the catalog) has none.
 */
record RegistryPaths(Optional<String> repository) {
    static final String NAME = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*";
    private static final Pattern REPO = Pattern.compile("^/v2/(" + NAME + ")/(?:blobs|manifests|tags|referrers)(?:/.*)?$");

    static RegistryPaths of(String path) {
        Matcher m = REPO.matcher(path == null ? "" : path);
        return new RegistryPaths(m.matches() ? Optional.of(m.group(1)) : Optional.empty());
    }

    static boolean readOnly(String method) {
        return method.equals("GET") || method.equals("HEAD");
    }
}

package dev.shoal.registry.api;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.name.RepositoryName;

/**
 * The URLs the registry hands back. They are absolute paths under {@code /v2/}; clients resolve them against the
 * URL they called, so they work behind the controller's listener whatever host or proxy the client used.
 */
final class Locations {
    private Locations() {
    }

    static String blob(RepositoryName name, Digest digest) {
        return Routes.PREFIX + name.value() + "/blobs/" + digest;
    }

    static String manifest(RepositoryName name, Digest digest) {
        return Routes.PREFIX + name.value() + "/manifests/" + digest;
    }

    static String upload(RepositoryName name, String id) {
        return Routes.PREFIX + name.value() + "/blobs/uploads/" + id;
    }

    static String tags(RepositoryName name) {
        return Routes.PREFIX + name.value() + "/tags/list";
    }

    /** The spec's upload progress header: inclusive end of the bytes received, "0-0" when none. */
    static String uploadRange(long offset) {
        return "0-" + Math.max(0, offset - 1);
    }
}

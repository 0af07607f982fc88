package dev.shoal.registry.api;

import dev.shoal.registry.name.RepositoryName;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a decoded request path to a {@link Route}. Repository names contain '/', so each pattern anchors on the
 * endpoint's fixed suffix; uploads are tried before blobs, since {@code /blobs/uploads/} would also look like a
 * blob named "uploads". An invalid name throws {@link dev.shoal.registry.name.InvalidNameException} (NAME_INVALID);
 * a path matching no endpoint is empty.
 */
final class Routes {
    static final String PREFIX = "/v2/";
    private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    private static final Pattern UPLOAD_START = Pattern.compile("/v2/(.+)/blobs/uploads/?");
    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]+)");
    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/([^/]+)");
    private static final Pattern REFERRERS = Pattern.compile("/v2/(.+)/referrers/([^/]+)");

    private Routes() {
    }

    static Optional<Route> parse(String path) {
        if (path.equals("/v2") || path.equals(PREFIX)) {
            return Optional.of(new Route.Base());
        }
        Matcher m;
        if ((m = TAGS.matcher(path)).matches()) {
            return Optional.of(new Route.TagsList(name(m)));
        }
        if ((m = MANIFEST.matcher(path)).matches()) {
            return Optional.of(new Route.Manifest(name(m), m.group(2)));
        }
        if ((m = UPLOAD_START.matcher(path)).matches()) {
            return Optional.of(new Route.UploadStart(name(m)));
        }
        if ((m = UPLOAD.matcher(path)).matches()) {
            return Optional.of(new Route.Upload(name(m), m.group(2)));
        }
        if ((m = BLOB.matcher(path)).matches()) {
            return Optional.of(new Route.Blob(name(m), m.group(2)));
        }
        if ((m = REFERRERS.matcher(path)).matches()) {
            return Optional.of(new Route.Referrers(name(m), m.group(2)));
        }
        return Optional.empty();
    }

    private static RepositoryName name(Matcher m) {
        return new RepositoryName(m.group(1));
    }
}

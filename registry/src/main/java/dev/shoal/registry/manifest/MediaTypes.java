package dev.shoal.registry.manifest;

import java.util.Locale;
import java.util.Set;

/** The manifest media types the registry accepts, and how to read one from a Content-Type header. */
public final class MediaTypes {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    public static final Set<String> IMAGE_MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    public static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);

    private MediaTypes() {
    }

    /** The media type without parameters, lower-cased; empty for a missing header. */
    public static String essence(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    /**
     * Layers a registry need not hold: OCI non-distributable layers and Docker foreign layers are fetched from their
     * {@code urls}, so a manifest may name them without pushing them.
     */
    static boolean isForeignLayer(String mediaType) {
        return mediaType.contains(".nondistributable.") || mediaType.startsWith("application/vnd.docker.image.rootfs.foreign.");
    }
}

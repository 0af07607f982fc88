package dev.shoal.registry.storage;

import java.time.Duration;

/**
 * What one run removed (or, in a dry run, would remove).
 *
 * @param tagsRemoved       tags past the retention limit
 * @param manifestsRemoved  revision links retention removed with their tags
 * @param layerLinksRemoved {@code _layers} links of blobs that no manifest references
 * @param blobsDeleted      blobs no manifest references, and their bytes in {@code blobBytes}
 * @param uploadsDeleted    abandoned uploads, and their bytes in {@code uploadBytes}
 * @param tempFilesDeleted  temp files a crash left behind
 */
public record GcReport(boolean dryRun, int tagsRemoved, int manifestsRemoved, int layerLinksRemoved, int blobsDeleted,
                       long blobBytes, int uploadsDeleted, long uploadBytes, int tempFilesDeleted, Duration took) {
    public long freedBytes() {
        return blobBytes + uploadBytes;
    }
}

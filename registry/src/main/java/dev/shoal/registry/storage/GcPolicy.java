package dev.shoal.registry.storage;

import java.time.Duration;

/**
 * What one garbage collection run may remove.
 *
 * @param grace         unreferenced blobs, layer links and revisions younger than this (by mtime) are kept: a push
 *                      uploads its blobs before its manifest, and must finish within the grace
 * @param uploadTimeout an upload whose data has not changed for this long is abandoned and removed
 * @param retainTags    keep the newest this many tags per repository (0: keep every tag)
 * @param dryRun        count what would be removed, remove nothing
 */
public record GcPolicy(Duration grace, Duration uploadTimeout, int retainTags, boolean dryRun) {
    public GcPolicy {
        if (grace.isNegative() || uploadTimeout.isNegative() || retainTags < 0) {
            throw new IllegalArgumentException("grace, upload timeout and retained tags must not be negative");
        }
    }
}

package dev.shoal.iso;

import java.time.Instant;

/**
 * Volume-wide settings of an image.
 *
 * @param volumeId the label (blkid LABEL); kept exactly as given, case included, so "config-2" reads back as such
 * @param level ISO 9660 interchange level 1 (8.3 names) to 3; only affects the plain ISO 9660 names
 * @param time recorded as every time stamp in the image; fixing it makes the output byte-for-byte reproducible
 */
record VolumeInfo(String volumeId, int level, Instant time, String publisherId, String applicationId) {}

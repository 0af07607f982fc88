package dev.shoal.iso;

import java.util.OptionalInt;

/**
 * One file or directory found in an image.
 *
 * @param path slash-separated, relative to the root, without ";1" (e.g. {@code openstack/latest/meta_data.json})
 * @param size bytes of content; 0 for directories
 * @param mode POSIX permission bits from Rock Ridge (e.g. 0644); empty when the image has no Rock Ridge
 */
public record IsoEntry(String path, long size, boolean directory, OptionalInt mode) {}

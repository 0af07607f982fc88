package dev.shoal.agent.image;

/** What was written: bytes as served, bytes on the disk, compression detected, and the verified checksum. */
public record ImageResult(long downloadedBytes, long writtenBytes, Compression compression, String checksum) {
}

package dev.shoal.bmcsim.media;

import java.util.List;

/**
 * What a BMC learned reading an image: its size when the server told it (Content-Range or
 * Content-Length; -1 otherwise) and the byte ranges it read, in order.
 */
public record ProbeResult(String url, long size, List<String> ranges, long bytesRead) {
    public ProbeResult {
        ranges = List.copyOf(ranges);
    }
}

package dev.shoal.bmcsim.media;

/** The image could not be read; the message names the URL and what went wrong, as a BMC's error would. */
public final class ProbeException extends Exception {
    private final int upstreamStatus;

    public ProbeException(String message, int upstreamStatus) {
        super(message);
        this.upstreamStatus = upstreamStatus;
    }

    /** The image server's status, or 0 when it never answered (refused, timed out, TLS failed). */
    public int upstreamStatus() {
        return upstreamStatus;
    }
}

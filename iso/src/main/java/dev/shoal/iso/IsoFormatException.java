package dev.shoal.iso;

import java.io.IOException;

/** The input is not an ISO 9660 image, or is a damaged or truncated one. The message says what is wrong and where. */
public final class IsoFormatException extends IOException {
    public IsoFormatException(String message) {
        super(message);
    }
}

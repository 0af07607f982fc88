package dev.shoal.registry.api;

import java.io.IOException;

/** Reading the request body failed: the client stopped sending or sent a malformed body. Not a storage fault. */
final class ClientBodyException extends IOException {
    ClientBodyException(Throwable cause) {
        super("request body could not be read: " + cause.getMessage(), cause);
    }
}

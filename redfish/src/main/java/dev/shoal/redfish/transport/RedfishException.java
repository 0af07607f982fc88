package dev.shoal.redfish.transport;

import java.util.Optional;

/**
 * A Redfish operation failed. {@link #bmcError()} holds what the BMC said, when it answered at all; the
 * message says what we were doing and quotes the BMC.
 */
public class RedfishException extends RuntimeException {
    private final transient Optional<RedfishError> bmcError;

    public RedfishException(String message, RedfishError error) {
        super(message + ": BMC answered " + error);
        this.bmcError = Optional.of(error);
    }

    public RedfishException(String message, Throwable cause) {
        super(message + ": " + describe(cause), cause);
        this.bmcError = Optional.empty();
    }

    public RedfishException(String message) {
        super(message);
        this.bmcError = Optional.empty();
    }

    public Optional<RedfishError> bmcError() {
        return bmcError;
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }
}

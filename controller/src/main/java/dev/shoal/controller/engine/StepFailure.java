package dev.shoal.controller.engine;

import java.util.Optional;

/**
 * A step could not do its work. The message names the cause for an operator; {@code bmcMessage} is the BMC's own
 * words when it answered, kept apart so the job's error shows both.
 */
public final class StepFailure extends Exception {
    private final transient Optional<String> bmcMessage;
    private final boolean serverUntouched;

    public StepFailure(String message, Optional<String> bmcMessage, Throwable cause) {
        this(message, bmcMessage, cause, false);
    }

    private StepFailure(String message, Optional<String> bmcMessage, Throwable cause, boolean serverUntouched) {
        super(message, cause);
        this.bmcMessage = bmcMessage;
        this.serverUntouched = serverUntouched;
    }

    public StepFailure(String message) {
        this(message, Optional.empty(), null);
    }

    /** The step failed before it sent the BMC anything, so there is nothing to clean up on the server. */
    public static StepFailure beforeTouchingServer(String message) {
        return new StepFailure(message, Optional.empty(), null, true);
    }

    public boolean serverUntouched() {
        return serverUntouched;
    }

    public Optional<String> bmcMessage() {
        return bmcMessage;
    }
}

package dev.shoal.agent;

/**
 * A step of the job failed: {@link #step()} is the wire step name the failed callback carries (1 to 64 of
 * letters, digits and {@code . _ : -}), {@link #getMessage()} the reason an operator reads.
 */
public final class StepFailure extends Exception {
    private final String step;

    public StepFailure(String step, String reason) {
        super(reason);
        this.step = step;
    }

    public StepFailure(String step, String reason, Throwable cause) {
        super(reason, cause);
        this.step = step;
    }

    public String step() {
        return step;
    }
}

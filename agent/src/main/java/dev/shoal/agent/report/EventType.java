package dev.shoal.agent.report;

/** The callback types the controller accepts. */
public enum EventType {
    HEARTBEAT, PROGRESS, LOG, SUCCEEDED, FAILED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

package dev.shoal.controller.agent;

import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** What an agent callback says. Heartbeats only prove liveness; succeeded and failed are the agent's final word. */
public enum AgentEventType {
    HEARTBEAT, PROGRESS, LOG, SUCCEEDED, FAILED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean outcome() {
        return this == SUCCEEDED || this == FAILED;
    }

    public static Optional<AgentEventType> fromWire(String s) {
        return Stream.of(values()).filter(v -> v.wire().equals(s)).findFirst();
    }
}

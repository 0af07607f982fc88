package dev.shoal.redfish.boot;

import java.util.Map;

/** Receives one event per step of a boot sequence; the job engine turns them into job events. */
@FunctionalInterface
public interface BootEvents {
    void step(String step, String message, Map<String, Object> details);

    BootEvents NONE = (step, message, details) -> { };
}

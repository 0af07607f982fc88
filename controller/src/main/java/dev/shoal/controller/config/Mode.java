package dev.shoal.controller.config;

/**
 * Local mode is a developer's or evaluator's run on one machine: loopback only, secrets generated and kept
 * under STORAGE_ROOT, AUTH_MODE=none allowed. Production refuses to start without real secrets.
 */
public enum Mode {
    LOCAL, PRODUCTION
}

package dev.shoal.controller.config;

import dev.shoal.controller.secrets.Secret;

/** A raw value as given, with where it came from ("environment", "--flag", "FILE line N"). */
public record Setting(ConfigKey key, String value, String origin) {
    /** The value as it may be shown to a person: secrets masked. */
    public String shown() {
        return key.secret() ? Secret.MASK : value;
    }

    /** How a problem names this setting: the key and, unless it is the environment, its origin. */
    public String label() {
        return "environment".equals(origin) ? key.name() : key.name() + " (" + origin + ")";
    }

    @Override
    public String toString() {
        return key + "=" + shown() + " (" + origin + ")";
    }
}

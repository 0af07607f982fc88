package dev.shoal.redfish.transport;

import java.util.Objects;

/** A BMC login. The password never shows in {@code toString}, so it cannot reach a log line by accident. */
public record Credentials(String username, String password) {
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "Credentials[" + username + ", ******]";
    }
}

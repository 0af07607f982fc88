package dev.shoal.bmcsim;

import java.util.Objects;

/** The one account a simulated BMC accepts, for HTTP Basic and for session login. */
public record Credentials(String username, String password) {
    public Credentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    public boolean matches(String user, String pass) {
        return username.equals(user) && password.equals(pass);
    }

    /** Never prints the password: states and logs may end up in CI output. */
    @Override
    public String toString() {
        return "Credentials[username=" + username + ", password=******]";
    }
}

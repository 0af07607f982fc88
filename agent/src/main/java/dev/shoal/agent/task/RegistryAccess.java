package dev.shoal.agent.task;

import java.net.URI;

/**
 * task.json's {@code registry}: how to reach the controller's registry (its base URL, which says http or https) and
 * the job's pull credential, good for this job's image only while the job runs. {@code toString} masks the password.
 */
public record RegistryAccess(URI url, String username, String password) {
    @Override
    public String toString() {
        return "RegistryAccess[url=" + url + ", username=" + username + ", password=******]";
    }
}

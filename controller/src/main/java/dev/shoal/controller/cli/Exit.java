package dev.shoal.controller.cli;

import dev.shoal.controller.config.ConfigException;
import dev.shoal.controller.config.ConfigProblem;

/** Exit codes and the one-line messages that go with them: 0 done, 1 failed, 2 bad usage or configuration. */
final class Exit {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    private Exit() {
    }

    static int configError(Console console, ConfigException e) {
        for (ConfigProblem p : e.problems()) {
            console.err().println("shoal-controller: configuration error: " + p);
        }
        return USAGE;
    }

    static int failure(Console console, String message) {
        console.err().println("shoal-controller: " + message);
        return FAILED;
    }
}

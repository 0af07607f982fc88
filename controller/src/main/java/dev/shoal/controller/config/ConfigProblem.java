package dev.shoal.controller.config;

/** One thing wrong with the configuration, naming the key (and where it came from) and what is wrong. */
public record ConfigProblem(String key, String message) {
    @Override
    public String toString() {
        return key + ": " + message;
    }
}

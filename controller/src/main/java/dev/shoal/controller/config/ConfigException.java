package dev.shoal.controller.config;

import java.util.List;
import java.util.stream.Collectors;

/** Start-up stops on this; each problem is one line naming its key. */
public final class ConfigException extends RuntimeException {
    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String key, String message) {
        this(List.of(new ConfigProblem(key, message)));
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}

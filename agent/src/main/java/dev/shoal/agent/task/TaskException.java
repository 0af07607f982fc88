package dev.shoal.agent.task;

import java.util.List;

/** task.json is missing, unreadable or invalid; {@link #problems()} names each bad field as {@code field: reason}. */
public final class TaskException extends Exception {
    private final List<String> problems;

    public TaskException(List<String> problems) {
        super("invalid task.json: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public TaskException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    public List<String> problems() {
        return problems;
    }
}

package dev.shoal.agent.task;

/** A parsed task.json. */
public record Task(Callback callback, Recipe recipe) {
}

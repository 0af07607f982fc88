package dev.shoal.controller.engine;

/**
 * A worker's hold on one step of one job. Every write that finishes the step checks owner and step again, so a
 * worker whose lease was taken over (it stalled past the TTL) cannot move the job on behind the new owner's back.
 *
 * @param attempt how many times this step has been started, this start included
 * @param tookOver true when an earlier owner's lease had expired (a crashed or stalled controller)
 */
public record Lease(String jobId, Step step, String owner, int attempt, boolean tookOver) {
}

package dev.shoal.controller.engine;

import dev.shoal.controller.jobs.Job;

/** The work of one step. Idempotent: after a crash the same step runs again from its beginning. */
@FunctionalInterface
public interface StepAction {
    /** Does the step's work and returns the message its completion event gets. */
    String run(Job job, StepEvents events) throws StepFailure;
}

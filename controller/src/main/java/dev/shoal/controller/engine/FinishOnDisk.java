package dev.shoal.controller.engine;

import dev.shoal.controller.jobs.Job;
import dev.shoal.controller.jobs.JobStore;

import java.util.List;

/** {@code finish}: the agent succeeded; power off, eject, boot from disk, power on. */
final class FinishOnDisk implements StepAction {
    private final JobStore jobs;
    private final BmcConnector bmcs;

    FinishOnDisk(JobStore jobs, BmcConnector bmcs) {
        this.jobs = jobs;
        this.bmcs = bmcs;
    }

    @Override
    public String run(Job job, StepEvents events) throws StepFailure {
        bmcs.run(job, jobs, events, "finish", vm -> vm.finish(List.of()));
        return "media ejected, boot set to disk, server powered on";
    }
}

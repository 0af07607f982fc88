package dev.shoal.controller.engine;

import dev.shoal.controller.jobs.Job;
import dev.shoal.controller.jobs.JobStore;
import dev.shoal.redfish.boot.VirtualMediaBoot;

/**
 * {@code cleanup}: a failed or cancelled job powers its server off and ejects the media, where it can. A BMC that
 * cannot be reached is noted and the job still ends: there is nothing more the controller could do, and the server
 * must not stay reserved for ever.
 */
final class CleanUp implements StepAction {
    private final JobStore jobs;
    private final BmcConnector bmcs;

    CleanUp(JobStore jobs, BmcConnector bmcs) {
        this.jobs = jobs;
        this.bmcs = bmcs;
    }

    @Override
    public String run(Job job, StepEvents events) throws StepFailure {
        bmcs.run(job, jobs, events, "cleanup", VirtualMediaBoot::powerOffAndEject);
        return "server powered off and media ejected";
    }
}

package dev.shoal.controller.engine;

import dev.shoal.controller.jobs.Job;
import dev.shoal.controller.jobs.JobStore;
import dev.shoal.controller.media.UrlSigner;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code boot-iso}: power off, eject, insert the maintenance ISO and this job's signed task ISO URL, one-time UEFI
 * boot from CD, power on. The URL expires at the job's deadline: BMCs re-read media across reboots, so it must stay
 * valid while the job can still run. Every part of the sequence is idempotent, so a rerun starts it over.
 */
final class BootFromIsos implements StepAction {
    private final JobStore jobs;
    private final JobTable table;
    private final BmcConnector bmcs;
    private final UrlSigner signer;
    private final EngineSettings settings;

    BootFromIsos(JobStore jobs, JobTable table, BmcConnector bmcs, UrlSigner signer, EngineSettings settings) {
        this.jobs = jobs;
        this.table = table;
        this.bmcs = bmcs;
        this.signer = signer;
        this.settings = settings;
    }

    @Override
    public String run(Job job, StepEvents events) throws StepFailure {
        URI maintenance = settings.maintenanceIso().orElseThrow(() -> StepFailure.beforeTouchingServer(
                "MAINTENANCE_ISO_URL is not set: the controller has no maintenance ISO to give the BMC"));
        Instant deadline = table.deadline(job.id()).orElseThrow(() -> StepFailure.beforeTouchingServer("the job has no deadline; it was not started by the engine"));
        URI task = signer.url(settings.controllerUrl(), job.id(), deadline);
        bmcs.run(job, jobs, events, "boot-iso", vm -> vm.bootFromIsos(maintenance, Optional.of(task)));
        return "the server is booting the maintenance ISO; waiting for its agent";
    }
}

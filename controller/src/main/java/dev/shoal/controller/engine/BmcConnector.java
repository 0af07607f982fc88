package dev.shoal.controller.engine;

import dev.shoal.controller.jobs.Job;
import dev.shoal.controller.jobs.JobStore;
import dev.shoal.controller.secrets.Secret;
import dev.shoal.redfish.BmcClient;
import dev.shoal.redfish.BmcEndpoint;
import dev.shoal.redfish.boot.VirtualMediaBoot;
import dev.shoal.redfish.quirks.Vendor;
import dev.shoal.redfish.transport.Credentials;
import dev.shoal.redfish.transport.RedfishSettings;
import dev.shoal.redfish.transport.TlsPolicy;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/** Opens a Redfish conversation with a job's BMC, as the job's {@code server} object describes it. */
public final class BmcConnector {
    private final RedfishSettings settings;
    private final Duration powerTimeout;
    private final Duration poll;

    public BmcConnector(RedfishSettings settings, Duration powerTimeout, Duration poll) {
        this.settings = settings;
        this.powerTimeout = powerTimeout;
        this.poll = poll;
    }

    /**
     * Runs one Redfish sequence against the job's BMC in a conversation of its own (closed after, which ends the
     * BMC session), its actions becoming the job's events; a failure keeps the BMC's own words apart.
     */
    public void run(Job job, JobStore jobs, StepEvents events, String step, Consumer<VirtualMediaBoot> sequence) throws StepFailure {
        Secret password = jobs.bmcPassword(job.id())
                .orElseThrow(() -> StepFailure.beforeTouchingServer("the job's BMC password is gone (the job has ended)"));
        BmcCalls.run(step, () -> {
            try (BmcClient bmc = connect(job, password)) {
                sequence.accept(bmc.virtualMedia(events.bmc()));
            }
        });
    }

    public BmcClient connect(Job job, Secret password) {
        var s = job.server();
        BmcEndpoint endpoint = new BmcEndpoint(URI.create(s.path("bmc_url").asText()),
                new Credentials(s.path("username").asText(), password.reveal()),
                s.path("tls_verify").asBoolean(true) ? TlsPolicy.VERIFY : TlsPolicy.INSECURE,
                Optional.ofNullable(s.path("system_id").textValue()),
                Vendor.fromWire(s.path("vendor").asText("auto")));
        return BmcClient.connect(endpoint, settings, powerTimeout, poll);
    }
}

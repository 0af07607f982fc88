package dev.shoal.controller.engine;

import dev.shoal.controller.jobs.Job;
import dev.shoal.controller.secrets.Secret;
import dev.shoal.redfish.BmcClient;
import dev.shoal.redfish.BmcEndpoint;
import dev.shoal.redfish.quirks.Vendor;
import dev.shoal.redfish.transport.Credentials;
import dev.shoal.redfish.transport.RedfishSettings;
import dev.shoal.redfish.transport.TlsPolicy;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

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

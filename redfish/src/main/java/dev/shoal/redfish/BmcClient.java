package dev.shoal.redfish;

import dev.shoal.redfish.boot.BootEvents;
import dev.shoal.redfish.boot.VirtualMediaBoot;
import dev.shoal.redfish.discovery.BmcInventory;
import dev.shoal.redfish.discovery.Capabilities;
import dev.shoal.redfish.discovery.Discovery;
import dev.shoal.redfish.transport.RedfishSettings;
import dev.shoal.redfish.transport.RedfishTransport;

import java.time.Duration;

/**
 * One conversation with one BMC: discover it once, then run sequences against it. Closing it ends the
 * BMC session.
 */
public final class BmcClient implements AutoCloseable {
    private final BmcEndpoint endpoint;
    private final RedfishTransport transport;
    private final Duration powerTimeout;
    private final Duration poll;
    private BmcInventory inventory;

    private BmcClient(BmcEndpoint endpoint, RedfishTransport transport, Duration powerTimeout, Duration poll) {
        this.endpoint = endpoint;
        this.transport = transport;
        this.powerTimeout = powerTimeout;
        this.poll = poll;
    }

    public static BmcClient connect(BmcEndpoint endpoint, RedfishSettings settings) {
        return connect(endpoint, settings, Duration.ofMinutes(5), Duration.ofSeconds(2));
    }

    /** With the time a power change may take and how often to look whether it happened. */
    public static BmcClient connect(BmcEndpoint endpoint, RedfishSettings settings, Duration powerTimeout, Duration poll) {
        return new BmcClient(endpoint, new RedfishTransport(endpoint.url(), endpoint.credentials(), endpoint.tls(), settings),
                powerTimeout, poll);
    }

    public synchronized BmcInventory inventory() {
        if (inventory == null) {
            inventory = Discovery.discover(transport, endpoint.systemId(), endpoint.vendor());
        }
        return inventory;
    }

    /** Forgets what discovery learned, e.g. after a sequence changed slots. */
    public synchronized BmcInventory rediscover() {
        inventory = null;
        return inventory();
    }

    public VirtualMediaBoot virtualMedia(BootEvents events) {
        return new VirtualMediaBoot(transport, inventory(), events, powerTimeout, poll);
    }

    public Capabilities check() {
        return Capabilities.of(inventory(), transport.usingSession());
    }

    public RedfishTransport transport() {
        return transport;
    }

    @Override
    public void close() {
        transport.close();
    }
}

package dev.shoal.redfish;

import dev.shoal.bmcsim.BmcSimulator;
import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.SimulatedBmc;
import dev.shoal.bmcsim.SimulatorConfig;
import dev.shoal.redfish.boot.BootEvents;
import dev.shoal.redfish.quirks.Vendor;
import dev.shoal.redfish.transport.Credentials;
import dev.shoal.redfish.transport.RedfishSettings;
import dev.shoal.redfish.transport.TlsPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Our client against one simulated BMC, with fast backoff and power polling so tests stay quick. */
public final class SimBmc implements AutoCloseable {
    public final BmcSimulator sim;
    public final SimulatedBmc bmc;
    public final List<String> events = new ArrayList<>();

    public SimBmc(BmcSpec spec) {
        this(SimulatorConfig.of(spec));
    }

    public SimBmc(SimulatorConfig config) {
        this.sim = BmcSimulator.start(config);
        this.bmc = sim.bmcs().getFirst();
    }

    public static RedfishSettings settings() {
        return RedfishSettings.defaults().withTimeout(Duration.ofSeconds(10)).withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    public BmcClient client() {
        return client(Optional.empty(), TlsPolicy.VERIFY, settings());
    }

    public BmcClient client(Optional<Vendor> vendor, TlsPolicy tls, RedfishSettings settings) {
        var c = bmc.credentials();
        return BmcClient.connect(new BmcEndpoint(bmc.baseUri(), new Credentials(c.username(), c.password()), tls,
                Optional.empty(), vendor), settings, Duration.ofSeconds(20), Duration.ofMillis(50));
    }

    public BootEvents recorder() {
        return (step, message, details) -> {
            synchronized (events) {
                events.add(step + ": " + message);
            }
        };
    }

    public List<String> steps() {
        synchronized (events) {
            return events.stream().map(e -> e.substring(0, e.indexOf(':'))).toList();
        }
    }

    @Override
    public void close() {
        sim.close();
    }
}

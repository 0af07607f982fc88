package dev.shoal.bmcsim;

import dev.shoal.bmcsim.machine.Machine;
import dev.shoal.bmcsim.machine.RecordingMachine;
import dev.shoal.bmcsim.personality.Personality;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to simulate. Every BMC gets its own listener on {@code host} (an ephemeral port unless
 * {@code bmcPorts} fixes one), exactly like real BMCs each have their own address; the admin endpoint
 * has another ({@code adminPort}, 0 = ephemeral). With {@code tls} the BMC listeners speak HTTPS with a
 * self-signed certificate made in memory at start; the admin endpoint stays plain HTTP.
 */
public record SimulatorConfig(String host, List<BmcSpec> bmcs, int adminPort, Machine machine, boolean tls,
                              List<Integer> bmcPorts) {
    public static final String DEFAULT_HOST = "127.0.0.1";

    public SimulatorConfig {
        host = host == null || host.isBlank() ? DEFAULT_HOST : host;
        bmcs = List.copyOf(Objects.requireNonNull(bmcs, "bmcs"));
        Set<String> names = new HashSet<>();
        for (BmcSpec b : bmcs) {
            if (!names.add(b.name())) {
                throw new IllegalArgumentException("two BMCs are named " + b.name());
            }
        }
        if (adminPort < 0 || adminPort > 65535) {
            throw new IllegalArgumentException("adminPort out of range: " + adminPort);
        }
        machine = machine == null ? new RecordingMachine() : machine;
        bmcPorts = bmcPorts == null ? List.of() : List.copyOf(bmcPorts);
        if (!bmcPorts.isEmpty() && bmcPorts.size() != bmcs.size()) {
            throw new IllegalArgumentException("bmcPorts must be empty or name one port per BMC");
        }
    }

    public SimulatorConfig(String host, List<BmcSpec> bmcs, int adminPort, Machine machine, boolean tls) {
        this(host, bmcs, adminPort, machine, tls, List.of());
    }

    /** Plain HTTP on 127.0.0.1, ephemeral ports, a {@link RecordingMachine}. */
    public static SimulatorConfig of(BmcSpec... bmcs) {
        return new SimulatorConfig(DEFAULT_HOST, List.of(bmcs), 0, null, false);
    }

    /** {@code count} BMCs of one personality named {@code prefix-1 .. prefix-count}. */
    public static SimulatorConfig of(Personality personality, String prefix, int count) {
        List<BmcSpec> specs = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            specs.add(BmcSpec.of(prefix + "-" + i, personality));
        }
        return new SimulatorConfig(DEFAULT_HOST, specs, 0, null, false);
    }

    public SimulatorConfig withMachine(Machine m) {
        return new SimulatorConfig(host, bmcs, adminPort, m, tls, bmcPorts);
    }

    public SimulatorConfig withTls(boolean on) {
        return new SimulatorConfig(host, bmcs, adminPort, machine, on, bmcPorts);
    }

    public SimulatorConfig withAdminPort(int port) {
        return new SimulatorConfig(host, bmcs, port, machine, tls, bmcPorts);
    }

    public SimulatorConfig withHost(String h) {
        return new SimulatorConfig(h, bmcs, adminPort, machine, tls, bmcPorts);
    }

    public SimulatorConfig withBmcPorts(List<Integer> ports) {
        return new SimulatorConfig(host, bmcs, adminPort, machine, tls, ports);
    }
}

package dev.shoal.controller.cli;

import dev.shoal.bmcsim.BmcSimulator;
import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.SimulatedBmc;
import dev.shoal.bmcsim.SimulatorConfig;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.controller.config.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code shoal-controller bmc-sim}: simulated Redfish BMCs for tests, demos and benchmarks. */
@Command(name = "bmc-sim", mixinStandardHelpOptions = true,
        description = {"Serve simulated Redfish BMCs, one port each, until stopped (Ctrl-C or SIGTERM).",
                "Personalities: generic, dell, dell_idrac10, hpe, supermicro, lenovo, ami, openbmc, cisco.",
                "Each BMC accepts its vendor's factory-default account, printed at start."})
final class BmcSimCommand implements Callable<Integer> {
    @Option(names = "--personality", split = ",", defaultValue = "generic", description = "Comma-separated personalities (default ${DEFAULT-VALUE})")
    List<String> personalities;
    @Option(names = "--count", defaultValue = "1", description = "BMCs per personality (default ${DEFAULT-VALUE})")
    int count;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE})")
    String host;
    @Option(names = "--admin-port", defaultValue = "0", description = "Port of the admin endpoint (default: any free port)")
    int adminPort;
    @Option(names = "--power-delay", defaultValue = "1s", description = "How long a power change takes (default ${DEFAULT-VALUE})")
    String powerDelay;
    @Option(names = "--tls", description = "BMCs speak HTTPS with a self-signed certificate")
    boolean tls;

    private final Console console;

    BmcSimCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > 1000) {
            console.err().println("shoal-controller: bmc-sim: --count must be 1..1000");
            return Exit.USAGE;
        }
        List<BmcSpec> specs = new ArrayList<>();
        for (String p : personalities) {
            Personality personality;
            try {
                personality = Personality.parse(p.strip());
            } catch (IllegalArgumentException e) {
                console.err().println("shoal-controller: bmc-sim: unknown personality \"" + p + "\"");
                return Exit.USAGE;
            }
            for (int i = 1; i <= count; i++) {
                specs.add(BmcSpec.of(p.strip().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + i, personality)
                        .withPowerDelay(Durations.parse(powerDelay)));
            }
        }
        BmcSimulator sim = BmcSimulator.start(new SimulatorConfig(host, specs, adminPort, null, tls));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sim.close();
            stopped.countDown();
        }, "bmc-sim-stop"));
        console.out().println("admin: " + sim.adminUri() + "  (GET /bmcs, GET /bmcs/{name}/state, POST /bmcs/{name}/faults)");
        for (SimulatedBmc b : sim.bmcs()) {
            console.out().printf("%-16s %-13s %s  user %s password %s%n", b.name(), b.personality().name().toLowerCase(Locale.ROOT),
                    b.baseUri(), b.credentials().username(), b.credentials().password());
        }
        console.out().flush();
        stopped.await();
        return Exit.OK;
    }
}

package dev.shoal.controller.cli;

import dev.shoal.bmcsim.BmcSimulator;
import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.SimulatedBmc;
import dev.shoal.bmcsim.SimulatorConfig;
import dev.shoal.bmcsim.agentmachine.AgentMachine;
import dev.shoal.bmcsim.agentmachine.AgentMachineConfig;
import dev.shoal.bmcsim.machine.Machine;
import dev.shoal.bmcsim.machine.RecordingMachine;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.controller.config.ByteSizes;
import dev.shoal.controller.config.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code shoal-controller bmc-sim}: simulated Redfish BMCs for tests, demos and benchmarks. */
@Command(name = "bmc-sim", mixinStandardHelpOptions = true,
        description = {"Serve simulated Redfish BMCs, one port each, until stopped (Ctrl-C or SIGTERM).",
                "Personalities: generic, dell, dell_idrac10, hpe, supermicro, lenovo, ami, openbmc, cisco.",
                "Each BMC accepts its vendor's factory-default account, printed at start.",
                "With --machine agent each BMC's server boots its virtual CD by running the real shoal-agent"
                        + " against a disk file (WORK_DIR/NAME/disk.img)."})
final class BmcSimCommand implements Callable<Integer> {
    /** What sits behind the BMCs. */
    enum MachineKind { recording, agent }

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
    @Option(names = "--machine", defaultValue = "recording", description = "The servers behind the BMCs: ${COMPLETION-CANDIDATES}."
            + " recording only records boots; agent reads the virtual media and runs shoal-agent (default ${DEFAULT-VALUE})")
    MachineKind machine;
    @Option(names = "--work-dir", paramLabel = "DIR", description = "--machine agent: where each server keeps its disk, media"
            + " and agent.log (default: a new temporary directory, kept at exit)")
    Path workDir;
    @Option(names = "--disk-size", paramLabel = "SIZE", description = "--machine agent: each server's disk, created sparse"
            + " (default 64M; K, M, G are binary)")
    String diskSize;

    private final Console console;

    BmcSimCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        if (count < 1 || count > 1000) {
            return usage("--count must be 1..1000");
        }
        List<BmcSpec> specs = new ArrayList<>();
        for (String p : personalities) {
            Personality personality;
            try {
                personality = Personality.parse(p.strip());
            } catch (IllegalArgumentException e) {
                return usage("unknown personality \"" + p + "\"");
            }
            for (int i = 1; i <= count; i++) {
                specs.add(BmcSpec.of(p.strip().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + i, personality)
                        .withPowerDelay(Durations.parse(powerDelay)));
            }
        }
        Machine servers;
        if (machine == MachineKind.recording) {
            if (workDir != null || diskSize != null) {
                return usage("--work-dir and --disk-size apply to --machine agent only");
            }
            servers = new RecordingMachine();
        } else {
            AgentMachineConfig config;
            try {
                config = AgentMachineConfig.of(workDir != null ? workDir : Files.createTempDirectory("shoal-bmc-sim-"));
                config = diskSize == null ? config : config.withDiskBytes(ByteSizes.parse(diskSize));
            } catch (IllegalArgumentException e) {
                return usage("--disk-size: " + e.getMessage());
            } catch (IOException e) {
                return Exit.failure(console, "bmc-sim: cannot create a work directory: " + e.getMessage());
            }
            try {
                servers = new AgentMachine(config);
            } catch (java.io.UncheckedIOException e) {
                return Exit.failure(console, "bmc-sim: " + e.getMessage() + ": " + e.getCause().getMessage());
            }
        }
        BmcSimulator sim;
        try {
            sim = BmcSimulator.start(new SimulatorConfig(host, specs, adminPort, servers, tls));
        } catch (RuntimeException e) {
            close(servers);
            throw e;
        }
        return serve(sim, servers);
    }

    /** Prints where everything is and serves until the JVM stops, or until an in-process caller (a test) interrupts. */
    private int serve(BmcSimulator sim, Machine servers) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            sim.close();
            close(servers);
            stopped.countDown();
        }, "bmc-sim-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        console.out().println("admin: " + sim.adminUri() + "  (GET /bmcs, GET /bmcs/{name}/state, POST /bmcs/{name}/faults)");
        if (servers instanceof AgentMachine a) {
            console.out().println("machine: agent, work dir " + a.config().workDir() + " ({name}/disk.img of "
                    + a.config().diskBytes() + " bytes, {name}/agent.log)");
        }
        for (SimulatedBmc b : sim.bmcs()) {
            console.out().printf("%-16s %-13s %s  user %s password %s%n", b.name(), b.personality().name().toLowerCase(Locale.ROOT),
                    b.baseUri(), b.credentials().username(), b.credentials().password());
        }
        console.out().flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            sim.close();
            close(servers);
        }
        return Exit.OK;
    }

    /** An agent machine stops its running agents, so none outlives the simulator. */
    private static void close(Machine servers) {
        if (servers instanceof AgentMachine a) {
            a.close();
        }
    }

    private int usage(String message) {
        console.err().println("shoal-controller: bmc-sim: " + message);
        return Exit.USAGE;
    }
}

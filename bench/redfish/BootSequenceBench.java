// Run by bench/redfish/run.sh: java -cp shoal-controller.jar BootSequenceBench.java
// Times Shoal's Redfish client through the full virtual-media boot + finish sequence against the BMC
// simulator (0 ms and 50 ms added latency per request, alternating rounds, medians), next to python3-sushy
// doing the same sequence against the same simulated BMC; then runs one sequence per system against 200
// simulated systems at once and reports how many were in flight together and how long they took.
import com.sun.net.httpserver.HttpServer;
import dev.shoal.bmcsim.BmcSimulator;
import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.SimulatedBmc;
import dev.shoal.bmcsim.SimulatorConfig;
import dev.shoal.bmcsim.faults.FaultPlan;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.redfish.BmcClient;
import dev.shoal.redfish.BmcEndpoint;
import dev.shoal.redfish.boot.BootEvents;
import dev.shoal.redfish.boot.VirtualMediaBoot;
import dev.shoal.redfish.transport.Credentials;
import dev.shoal.redfish.transport.RedfishSettings;
import dev.shoal.redfish.transport.TlsPolicy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

public class BootSequenceBench {
    static final int ROUNDS = Integer.getInteger("rounds", 5);
    static final int SYSTEMS = Integer.getInteger("systems", 200);

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } finally {
            System.exit(0); // a failure must not leave the image server's thread holding the JVM open
        }
    }

    static void run(String[] args) throws Exception {
        HttpServer images = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] block = new byte[64 * 1024];
        images.createContext("/isos/", ex -> {
            try (ex) {
                ex.getResponseHeaders().set("Accept-Ranges", "bytes");
                ex.sendResponseHeaders(200, block.length);
                ex.getResponseBody().write(block);
            } catch (java.io.IOException e) {
                // the BMC hung up after reading what it wanted
            }
        });
        images.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        images.start();
        URI maint = URI.create("http://127.0.0.1:" + images.getAddress().getPort() + "/isos/maintenance.iso");
        URI task = URI.create("http://127.0.0.1:" + images.getAddress().getPort() + "/isos/task.iso");
        String sushy = args.length > 0 ? args[0] : null;

        System.out.printf("full sequence = discover, power off, eject 2 slots, insert 2 ISOs, boot Cd/Once/UEFI, power on,%n"
                + "                power off, eject, boot Hdd, power on (generic BMC, power changes instant)%n");
        for (int latency : new int[] {0, 50}) {
            List<Double> shoal = new ArrayList<>();
            List<Double> peer = new ArrayList<>();
            int requests = 0;
            try (BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(BmcSpec.of("bmc", Personality.GENERIC)
                    .withFaults(FaultPlan.NONE.withLatency(Duration.ofMillis(latency)))))) {
                SimulatedBmc bmc = sim.bmcs().getFirst();
                sequence(bmc, maint, task); // warm-up, not counted
                for (int r = 0; r < ROUNDS; r++) {
                    int before = bmc.state().requests().size();
                    long t0 = System.nanoTime();
                    sequence(bmc, maint, task);
                    shoal.add((System.nanoTime() - t0) / 1e9);
                    requests = bmc.state().requests().size() - before;
                    if (sushy != null) {
                        peer.add(runSushy(sushy, bmc, maint, task));
                    }
                }
            }
            System.out.printf("latency %2d ms: shoal median %.3f s (%d requests)%s%n", latency, median(shoal), requests,
                    peer.isEmpty() ? "" : String.format("; python3-sushy median %.3f s; ratio sushy/shoal %.2f",
                            median(peer), median(peer) / median(shoal)));
        }

        List<BmcSpec> specs = new ArrayList<>();
        for (int i = 1; i <= SYSTEMS; i++) {
            specs.add(BmcSpec.of("bmc-" + i, Personality.GENERIC).withPowerDelay(Duration.ofMillis(500)));
        }
        try (BmcSimulator sim = BmcSimulator.start(new SimulatorConfig("127.0.0.1", specs, 0, null, false))) {
            AtomicInteger inFlight = new AtomicInteger();
            AtomicInteger peak = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            List<Double> durations = Collections.synchronizedList(new ArrayList<>());
            long t0 = System.nanoTime();
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> all = new ArrayList<>();
                for (SimulatedBmc bmc : sim.bmcs()) {
                    all.add(pool.submit(() -> {
                        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        long s = System.nanoTime();
                        try {
                            sequence(bmc, maint, task);
                            durations.add((System.nanoTime() - s) / 1e9);
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                            System.out.println("  " + bmc.name() + " failed: " + e.getMessage());
                        } finally {
                            inFlight.decrementAndGet();
                        }
                    }));
                }
                for (Future<?> f : all) {
                    f.get(300, TimeUnit.SECONDS);
                }
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            System.out.printf("%d systems at once (power changes 0.5 s): %d in flight together, %d completed, %d failed, "
                            + "wall %.1f s, median sequence %.2f s, %.1f sequences/s%n", SYSTEMS, peak.get(),
                    durations.size(), failed.get(), wall, median(durations), durations.size() / wall);
        }
        images.stop(0);
    }

    static void sequence(SimulatedBmc bmc, URI maint, URI task) {
        var endpoint = new BmcEndpoint(bmc.baseUri(), new Credentials(bmc.credentials().username(), bmc.credentials().password()),
                TlsPolicy.VERIFY, Optional.empty(), Optional.empty());
        var settings = RedfishSettings.defaults().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        try (BmcClient c = BmcClient.connect(endpoint, settings, Duration.ofSeconds(60), Duration.ofMillis(100))) {
            VirtualMediaBoot vm = c.virtualMedia(BootEvents.NONE);
            VirtualMediaBoot.Inserted used = vm.bootFromIsos(maint, Optional.of(task));
            vm.finish(List.of(used.maintenance(), used.task().orElseThrow()));
        }
    }

    static double runSushy(String script, SimulatedBmc bmc, URI maint, URI task) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", script, bmc.baseUri().toString(), bmc.credentials().username(),
                bmc.credentials().password(), maint.toString(), task.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("sushy sequence failed: " + out);
        }
        return Double.parseDouble(out.lines().reduce((a, b) -> b).orElseThrow());
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}

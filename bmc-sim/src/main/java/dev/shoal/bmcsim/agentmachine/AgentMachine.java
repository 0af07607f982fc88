package dev.shoal.bmcsim.agentmachine;

import dev.shoal.agent.configdrive.Sfdisk;
import dev.shoal.agent.image.QemuImg;
import dev.shoal.bmcsim.agentmachine.BootRecord.DiskBooted;
import dev.shoal.bmcsim.agentmachine.BootRecord.Failed;
import dev.shoal.bmcsim.agentmachine.BootRecord.Outcome;
import dev.shoal.bmcsim.agentmachine.BootRecord.Stopped;
import dev.shoal.bmcsim.machine.BootContext;
import dev.shoal.bmcsim.machine.BootSource;
import dev.shoal.bmcsim.machine.Machine;
import dev.shoal.bmcsim.media.TrustAll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The simulated servers behind a simulator's BMCs, with the real shoal-agent as their maintenance OS. Each BMC
 * name has a disk file, {@code workDir/{bmcName}/disk.img} (sparse, {@link AgentMachineConfig#diskBytes()}).
 * A CD boot reads every inserted medium by 64 KiB Range requests into {@code workDir/{bmcName}/media/{slot}.iso},
 * finds the SHOAL-TASK ISO and a maintenance OS ISO, and runs the agent in-process against the disk file, its
 * output appended to {@code workDir/{bmcName}/agent.log}. A disk boot checks what the disk holds. Each boot runs
 * on a virtual thread of its own and is recorded ({@link #boots}) once its outcome is known.
 *
 * <pre>{@code
 * try (AgentMachine servers = new AgentMachine(AgentMachineConfig.of(workDir));
 *      BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(Personality.DELL, "idrac", 200).withMachine(servers))) {
 *     ... insert media, set a Cd boot override, power on through Redfish ...
 *     servers.awaitBoots("idrac-1", 1, Duration.ofMinutes(2));   // the agent has exited
 * }
 * }</pre>
 */
public final class AgentMachine implements Machine, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentMachine.class);
    /** How long a power-off waits for the boot it stops; the agent's blocking calls end at an interrupt, so briefly. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    private static final Duration MEDIA_TIMEOUT = Duration.ofSeconds(30);
    /** A media server that refuses connections is tried again this long (a controller restart takes seconds). */
    private static final Duration MEDIA_UNREACHABLE_FOR = Duration.ofSeconds(60);

    /** One boot in progress. The thread is set before anyone else can see the run (under the server's lock). */
    private static final class Run {
        final BootContext context;
        final Instant started = Instant.now();
        Thread thread;
        volatile String phase = "";
        volatile String stopReason;

        Run(BootContext context) {
            this.context = context;
        }
    }

    /** One simulated server: its boot in progress; {@code control} orders boots and power-offs of this server. */
    private static final class Server {
        final ReentrantLock control = new ReentrantLock();
        final AtomicReference<Run> current = new AtomicReference<>();
    }

    private final AgentMachineConfig config;
    private final HttpClient media;
    private final CdBoot cdBoot;
    private final DiskInspector disks;
    private final AtomicInteger agentsRunning = new AtomicInteger();
    private final Map<String, Server> servers = new ConcurrentHashMap<>();
    private final Map<String, List<BootRecord>> boots = new HashMap<>();

    public AgentMachine(AgentMachineConfig config) {
        this.config = config;
        try {
            Files.createDirectories(config.workDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the work directory " + config.workDir(), e);
        }
        // One client for every server's media reads (one selector thread, not one per server), its tasks on virtual
        // threads (the default executor is a growing pool of platform threads).
        this.media = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL)
                .sslContext(TrustAll.context()).version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        String path = System.getenv("PATH");
        Sfdisk sfdisk = Sfdisk.onPath(path);
        this.cdBoot = new CdBoot(new RangedFetch(media, MEDIA_TIMEOUT, MEDIA_UNREACHABLE_FOR), new AgentRun(config, QemuImg.onPath(path), sfdisk),
                agentsRunning);
        this.disks = new DiskInspector(sfdisk);
    }

    /** {@link AgentMachineConfig#of} defaults: 64 MiB disks. */
    public AgentMachine(Path workDir) {
        this(AgentMachineConfig.of(workDir));
    }

    public AgentMachineConfig config() {
        return config;
    }

    /** The server's disk file, whether or not a boot has created it yet. */
    public Path disk(String bmcName) {
        return MachineDirs.of(config.workDir(), bmcName).disk();
    }

    /** The server's agent log (every agent run appended, each after a header line). */
    public Path agentLog(String bmcName) {
        return MachineDirs.of(config.workDir(), bmcName).agentLog();
    }

    /** Boots of one server whose outcome is known, in the order they ended. */
    public synchronized List<BootRecord> boots(String bmcName) {
        return List.copyOf(boots.getOrDefault(bmcName, List.of()));
    }

    /**
     * Waits until {@code bmcName} has {@code count} boots recorded and returns them; a boot is recorded when it ends
     * (the agent exited or was stopped, the firmware gave up, the disk was checked), so this also waits for agents.
     */
    public synchronized List<BootRecord> awaitBoots(String bmcName, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (boots(bmcName).size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(bmcName + " recorded " + boots(bmcName).size() + " boots within " + timeout
                        + "; expected " + count + ": " + boots(bmcName).stream().map(BootRecord::describe).toList());
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return boots(bmcName);
    }

    /** Agents running now, across all servers. */
    public int agentsRunning() {
        return agentsRunning.get();
    }

    @Override
    public void boot(BootContext context) {
        Server server = servers.computeIfAbsent(context.bmcName(), n -> new Server());
        MachineDirs dirs = MachineDirs.of(config.workDir(), context.bmcName());
        server.control.lock();
        try {
            // A reset of a running server: what ran before is gone, as on real hardware.
            stop(server, "a reset began a new boot");
            Run run = new Run(context);
            server.current.set(run);
            run.thread = Thread.ofVirtual().name("agent-machine-" + context.bmcName()).start(() -> execute(server, run, dirs));
        } finally {
            server.control.unlock();
        }
    }

    /**
     * Stops the boot in progress. A machine without power runs nothing: an agent left running would go on
     * writing the disk and calling the controller back (heartbeats, a late "succeeded") for a server that is off,
     * which is exactly what a test of power-off handling must not see. The agent's blocking calls (HttpClient,
     * FileChannel, sleeps) end when its thread is interrupted.
     */
    @Override
    public void poweredOff(String bmcName) {
        Server server = servers.get(bmcName);
        if (server == null) {
            return;
        }
        server.control.lock();
        try {
            stop(server, "powered off");
        } finally {
            server.control.unlock();
        }
    }

    /** Stops every boot in progress and the media client. */
    @Override
    public void close() {
        for (Server server : servers.values()) {
            server.control.lock();
            try {
                stop(server, "the simulator closed");
            } finally {
                server.control.unlock();
            }
        }
        media.shutdownNow();
    }

    /** Interrupts the server's boot in progress, if any, and waits a little for it to end. Holds {@code control}. */
    private static void stop(Server server, String why) {
        Run run = server.current.get();
        if (run == null) {
            return;
        }
        run.stopReason = why;
        run.thread.interrupt();
        try {
            if (!run.thread.join(STOP_WAIT)) {
                LOG.warn("{}: the boot did not stop within {} after \"{}\"", run.context.bmcName(), STOP_WAIT, why);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void execute(Server server, Run run, MachineDirs dirs) {
        Map<String, String> labels = new LinkedHashMap<>();
        Outcome outcome;
        try {
            run.phase = "before the boot began";
            dirs.ensureDisk(config.diskBytes());
            if (run.context.source() == BootSource.CD) {
                outcome = cdBoot.boot(run.context, dirs, labels, p -> run.phase = p);
            } else {
                run.phase = "while the disk was checked";
                outcome = new DiskBooted(disks.inspect(dirs.disk()));
            }
        } catch (InterruptedException e) {
            outcome = new Failed("interrupted " + run.phase);
        } catch (IOException | RuntimeException e) {
            outcome = new Failed("simulator error " + run.phase + ": " + e);
        }
        if (run.stopReason != null) {
            outcome = new Stopped(run.stopReason + " " + run.phase + switch (outcome) {
                case BootRecord.AgentExited a -> " (the agent exited with " + a.exitCode() + ")";
                default -> "";
            });
        }
        server.current.compareAndSet(run, null);
        BootRecord record = new BootRecord(run.started, Instant.now(), run.context.source(), labels, outcome);
        LOG.debug("{}: {}", run.context.bmcName(), record.describe());
        synchronized (this) {
            boots.computeIfAbsent(run.context.bmcName(), n -> new ArrayList<>()).add(record);
            notifyAll();
        }
    }
}

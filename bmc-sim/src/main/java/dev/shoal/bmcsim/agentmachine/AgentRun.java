package dev.shoal.bmcsim.agentmachine;

import dev.shoal.agent.Agent;
import dev.shoal.agent.AgentOptions;
import dev.shoal.agent.configdrive.Sfdisk;
import dev.shoal.agent.image.QemuImg;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Runs the real shoal-agent in-process, on the calling thread, as the maintenance OS would run it: the task ISO
 * as {@code --task}, the server's disk file as {@code --disk}. What the agent prints goes to the server's
 * {@code agent.log}, appended, one header line per boot.
 */
final class AgentRun {
    /** As the agent's own default ({@code Agent.standard()}). */
    private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(2);

    private final AgentMachineConfig config;
    private final QemuImg qemuImg;
    private final Sfdisk sfdisk;

    AgentRun(AgentMachineConfig config, QemuImg qemuImg, Sfdisk sfdisk) {
        this.config = config;
        this.qemuImg = qemuImg;
        this.sfdisk = sfdisk;
    }

    /** The agent's exit code. */
    int run(MachineDirs dirs, Path taskIso, String header) throws IOException {
        Files.createDirectories(dirs.tmp());
        // FileOutputStream rather than Files.newOutputStream: a channel-backed stream is closed by an interrupt, and
        // a power-off interrupts this thread, which would lose the log lines that say what the agent was doing.
        try (PrintStream log = new PrintStream(new FileOutputStream(dirs.agentLog().toFile(), true), true, StandardCharsets.UTF_8)) {
            log.println(header);
            Agent agent = new Agent(config.retry(), qemuImg, sfdisk, dirs.tmp(), PROGRESS_INTERVAL, log);
            int rc = agent.run(new AgentOptions(Optional.of(taskIso), Optional.of(dirs.disk()), config.heartbeat(), 1,
                    Duration.ofSeconds(1)));
            log.println("=== agent exited with " + rc + (Thread.currentThread().isInterrupted() ? " (interrupted: power off or reset)" : ""));
            return rc;
        }
    }
}

package dev.shoal.bmcsim.agentmachine;

import dev.shoal.agent.task.TaskFinder;
import dev.shoal.bmcsim.agentmachine.BootRecord.AgentExited;
import dev.shoal.bmcsim.agentmachine.BootRecord.Failed;
import dev.shoal.bmcsim.agentmachine.BootRecord.Outcome;
import dev.shoal.bmcsim.machine.BootContext;
import dev.shoal.iso.IsoReader;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A boot from the virtual CD: read every inserted medium as the BMC would, find the task ISO by its volume label
 * (SHOAL-TASK) and the maintenance OS (any other ISO 9660 medium, whatever its label: real ones are live OS
 * images), then "boot the maintenance OS", which here means running the agent against the server's disk.
 */
final class CdBoot {
    private record Medium(String slot, Path file, Optional<String> label) {
        boolean task() {
            return label.filter(TaskFinder.LABEL::equals).isPresent();
        }
    }

    private final RangedFetch fetch;
    private final AgentRun agent;
    private final AtomicInteger agentsRunning;

    CdBoot(RangedFetch fetch, AgentRun agent, AtomicInteger agentsRunning) {
        this.fetch = fetch;
        this.agent = agent;
        this.agentsRunning = agentsRunning;
    }

    /**
     * Boots; {@code labels} receives each medium's label as it is read, {@code phase} what the boot is doing
     * (for the record of a boot cut short by a power-off).
     */
    Outcome boot(BootContext ctx, MachineDirs dirs, Map<String, String> labels, Consumer<String> phase)
            throws IOException, InterruptedException {
        if (ctx.media().isEmpty()) {
            return new Failed("no media inserted: the firmware has no CD to boot");
        }
        phase.accept("while the BMC read the media");
        Files.createDirectories(dirs.media());
        List<Medium> media = new ArrayList<>();
        for (Map.Entry<String, String> e : ctx.media().entrySet()) {
            Path file = dirs.medium(e.getKey());
            try {
                fetch.fetch(e.getValue(), file);
            } catch (RangedFetch.MediaException x) {
                return new Failed("cannot read the medium in slot " + e.getKey() + ": " + x.getMessage());
            } catch (HttpTimeoutException x) {
                return new Failed("cannot read the medium in slot " + e.getKey() + ": " + e.getValue() + " timed out");
            } catch (IOException x) {
                if (Thread.currentThread().isInterrupted()) {
                    throw x; // a power-off closed the file under us: not the medium's fault
                }
                return new Failed("cannot read the medium in slot " + e.getKey() + ": " + e.getValue() + ": " + describe(x));
            }
            Medium m = new Medium(e.getKey(), file, label(file));
            labels.put(m.slot(), m.label().orElse(BootRecord.NOT_ISO));
            media.add(m);
        }
        Optional<Medium> task = media.stream().filter(Medium::task).findFirst();
        if (task.isEmpty()) {
            return new Failed("no " + TaskFinder.LABEL + " medium among " + labels
                    + ": without its task the agent never starts and nothing is reported");
        }
        Optional<Medium> os = media.stream().filter(m -> !m.task() && m.label().isPresent()).findFirst();
        if (os.isEmpty()) {
            return new Failed("no maintenance OS: no ISO 9660 medium besides " + TaskFinder.LABEL + " among " + labels);
        }
        phase.accept("while the agent ran");
        String header = "=== " + Instant.now() + " " + ctx.bmcName() + " boots the maintenance OS '" + os.get().label().get()
                + "' (slot " + os.get().slot() + ") with " + TaskFinder.LABEL + " (slot " + task.get().slot() + "), disk "
                + dirs.disk();
        agentsRunning.incrementAndGet();
        try {
            return new AgentExited(agent.run(dirs, task.get().file(), header));
        } finally {
            agentsRunning.decrementAndGet();
        }
    }

    /** The ISO 9660 volume label, or empty if the file is no ISO 9660 image (zeros, a disk image...). */
    private static Optional<String> label(Path file) throws IOException {
        try (IsoReader iso = IsoReader.open(file)) {
            return Optional.ofNullable(iso.volumeId());
        } catch (IOException | RuntimeException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw e instanceof IOException io ? io : new IOException(e);
            }
            return Optional.empty();
        }
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if ((m == null || m.isBlank()) && e.getCause() != null) {
            m = e.getCause().getMessage();
        }
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }
}

package dev.shoal.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.agent.configdrive.ConfigDriveIso;
import dev.shoal.agent.configdrive.ConfigDrivePartition;
import dev.shoal.agent.configdrive.ConfigDriveWriter;
import dev.shoal.agent.configdrive.Sfdisk;
import dev.shoal.agent.disk.RootDeviceSelector;
import dev.shoal.agent.disk.SysfsBlockDevices;
import dev.shoal.agent.disk.TargetDisk;
import dev.shoal.agent.image.HttpImageSource;
import dev.shoal.agent.image.ImageResult;
import dev.shoal.agent.image.ImageSource;
import dev.shoal.agent.image.OciImageSource;
import dev.shoal.agent.image.ImageWriter;
import dev.shoal.agent.image.QemuImg;
import dev.shoal.agent.report.Reporter;
import dev.shoal.agent.report.RetryPolicy;
import dev.shoal.agent.task.Callback;
import dev.shoal.agent.task.ConfigDrive;
import dev.shoal.agent.task.Recipe;
import dev.shoal.agent.task.Task;
import dev.shoal.agent.task.TaskException;
import dev.shoal.agent.task.TaskFinder;
import dev.shoal.agent.task.TaskParser;
import dev.shoal.agent.task.TaskSource;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One run: read the task, report "agent started", write the image, report succeeded or failed(step, reason).
 * Returns the exit code: 0 only if the image is on the disk, verified, its config drive (if the task has one) added,
 * and the controller was told so.
 * A task whose callback fields are unusable, or that cannot be found, cannot be reported at all: that goes to
 * {@code err} only. Without {@code --task} the task is found by its volume label ({@link TaskFinder}); without
 * {@code --disk} the disk is selected from the task's root device hints ({@link RootDeviceSelector}).
 */
public final class Agent {
    public static final String READ_TASK = "read-task";
    public static final String START = "start";
    public static final String CONFIG_DRIVE = ConfigDriveWriter.STEP;

    private final RetryPolicy retry;
    private final QemuImg qemuImg;
    private final Sfdisk sfdisk;
    private final Path tempDir;
    private final Duration progressInterval;
    private final PrintStream err;
    private final Discovery discovery;

    /**
     * Where the agent looks when {@code --task} or {@code --disk} is not given: the block devices (sysfs), the
     * devices that may hold the task volume, and how to wait between scans for it.
     */
    public record Discovery(SysfsBlockDevices blockDevices, Supplier<List<Path>> taskCandidates, TaskFinder.Sleeper sleeper) {
        public static Discovery standard() {
            return new Discovery(SysfsBlockDevices.standard(), () -> TaskFinder.devices(Path.of("/dev"), Path.of("/sys")),
                    d -> Thread.sleep(d));
        }
    }

    public Agent(RetryPolicy retry, QemuImg qemuImg, Path tempDir, Duration progressInterval, PrintStream err) {
        this(retry, qemuImg, Sfdisk.onPath(System.getenv("PATH")), tempDir, progressInterval, err);
    }

    public Agent(RetryPolicy retry, QemuImg qemuImg, Sfdisk sfdisk, Path tempDir, Duration progressInterval, PrintStream err) {
        this(retry, qemuImg, sfdisk, tempDir, progressInterval, err, Discovery.standard());
    }

    public Agent(RetryPolicy retry, QemuImg qemuImg, Sfdisk sfdisk, Path tempDir, Duration progressInterval, PrintStream err,
                 Discovery discovery) {
        this.discovery = discovery;
        this.retry = retry;
        this.qemuImg = qemuImg;
        this.sfdisk = sfdisk;
        this.tempDir = tempDir;
        this.progressInterval = progressInterval;
        this.err = err;
    }

    public static Agent standard() {
        return new Agent(RetryPolicy.DEFAULT, QemuImg.onPath(System.getenv("PATH")),
                Path.of(System.getProperty("java.io.tmpdir")), Duration.ofSeconds(2), System.err);
    }

    public int run(AgentOptions options) {
        Callback callback;
        JsonNode json;
        Optional<Path> taskMedia = Optional.empty();
        try {
            Path task;
            if (options.task().isPresent()) {
                task = options.task().get();
            } else {
                task = new TaskFinder(discovery.taskCandidates(), options.taskAttempts(), options.taskInterval(),
                        discovery.sleeper(), err).find();
                taskMedia = Optional.of(task);
                err.println("shoal-agent: reading the task from " + task + " (volume " + TaskFinder.LABEL + ")");
            }
            json = TaskSource.read(task);
            callback = TaskParser.callback(json);
        } catch (TaskException e) {
            err.println("shoal-agent: cannot report, " + e.getMessage());
            return 1;
        }
        try (Reporter reporter = new Reporter(callback, retry, Clock.systemUTC())) {
            reporter.log(START, "agent started");
            try {
                Task task = parse(json);
                reporter.startHeartbeat(heartbeat(task, options));
                Deployed d = deploy(task, options, taskMedia, reporter);
                ImageResult r = d.image();
                String msg = "image written and verified: " + r.checksum() + ", " + r.downloadedBytes()
                        + " bytes downloaded (" + r.compression().wire() + "), " + r.writtenBytes() + " bytes written to "
                        + d.disk() + d.configDrive().map(c -> "; " + c.describe()).orElse("");
                err.println("shoal-agent: " + msg);
                reporter.stopHeartbeat();
                if (!reporter.succeeded(ImageWriter.WRITE, msg)) {
                    err.println("shoal-agent: the controller was not told of the success");
                    return 1;
                }
                return 0;
            } catch (StepFailure f) {
                err.println("shoal-agent: failed at " + f.step() + ": " + f.getMessage());
                reporter.stopHeartbeat();
                reporter.failed(f.step(), f.getMessage());
                return 1;
            } catch (RuntimeException e) {
                err.println("shoal-agent: internal error: " + e);
                reporter.stopHeartbeat();
                reporter.failed("agent", "internal error: " + e);
                return 1;
            }
        }
    }

    private record Deployed(Path disk, ImageResult image, Optional<ConfigDrivePartition> configDrive) {
    }

    private static Task parse(JsonNode json) throws StepFailure {
        try {
            return TaskParser.parse(json);
        } catch (TaskException e) {
            throw new StepFailure(READ_TASK, e.getMessage(), e);
        }
    }

    /**
     * The task's {@code heartbeat_interval_seconds} when it has one, else {@code --heartbeat}: the controller sets
     * its heartbeat timeout as a few of its chosen intervals, so a longer local default would time the job out.
     */
    private Duration heartbeat(Task task, AgentOptions options) {
        if (task.heartbeatInterval().isEmpty()) {
            return options.heartbeat();
        }
        Duration every = task.heartbeatInterval().get();
        err.println("shoal-agent: heartbeat every " + every.toSeconds() + " s, as task.json asks");
        return every;
    }

    private Deployed deploy(Task task, AgentOptions options, Optional<Path> taskMedia, Reporter reporter) throws StepFailure {
        if (!(task.recipe() instanceof Recipe.Image image)) {
            throw new StepFailure(READ_TASK, "recipe.kind bootc is not supported by this agent yet");
        }
        if (image.configDrive().isPresent()) {
            sfdisk.require(); // before a long download that could not be finished
        }
        TargetDisk disk = TargetDisk.open(targetDisk(image, options, taskMedia, reporter));
        reporter.log(ImageWriter.WRITE, "writing " + image.url() + " (" + image.format().wire() + ") to " + disk.path()
                + disk.size().stream().mapToObj(s -> " (" + s + " bytes)").findFirst().orElse(""));
        HttpClient http = HttpImageSource.newClient(Tls.context(task.callback().caCerts()));
        ImageResult written;
        try {
            ImageWriter writer = new ImageWriter(ImageSource.byScheme(new HttpImageSource(http), new OciImageSource(http, task.registry())),
                    qemuImg, tempDir, progressInterval);
            written = writer.write(image, disk, (done, total) -> reporter.progress(ImageWriter.WRITE, done, total));
        } finally {
            // The download is over either way. A process exit would free the client's selector thread, but bmc-sim runs
            // many agents in one JVM, where an unclosed client keeps that platform thread until it is garbage collected.
            http.shutdownNow();
        }
        if (image.configDrive().isEmpty()) {
            return new Deployed(disk.path(), written, Optional.empty());
        }
        return new Deployed(disk.path(), written, Optional.of(configDrive(image.configDrive().get(), disk.path(), reporter)));
    }

    /** {@code --disk} if given (root device hints are then ignored, and the log says so), else the hints' choice. */
    private Path targetDisk(Recipe.Image image, AgentOptions options, Optional<Path> taskMedia, Reporter reporter)
            throws StepFailure {
        if (options.disk().isPresent()) {
            if (!image.rootDevice().isEmpty()) {
                reporter.log(TargetDisk.STEP, "--disk " + options.disk().get() + " overrides the task's root device hints");
            }
            return options.disk().get();
        }
        RootDeviceSelector.Selection s = new RootDeviceSelector(discovery.blockDevices())
                .select(image.rootDevice(), taskMedia.map(Set::of).orElse(Set.of()));
        err.println("shoal-agent: " + s.explanation());
        reporter.log(TargetDisk.STEP, s.explanation());
        return s.device().devPath();
    }

    /**
     * Adds the config drive after the image is verified. If that fails the disk's first MiB is zeroed, as for a
     * failed image: failing beats booting a machine without the cloud-init data (keys, network) the job asked for.
     */
    private ConfigDrivePartition configDrive(ConfigDrive drive, Path disk, Reporter reporter) throws StepFailure {
        // Not the drive itself in the log: meta_data can hold an admin password too, not only user_data.
        reporter.log(CONFIG_DRIVE, "adding the config drive (" + ConfigDriveIso.LABEL + ") at the end of " + disk);
        try {
            ConfigDrivePartition p = new ConfigDriveWriter(sfdisk).write(drive, disk);
            reporter.log(CONFIG_DRIVE, p.describe());
            return p;
        } catch (StepFailure f) {
            throw wiped(disk, f);
        }
    }

    private static StepFailure wiped(Path disk, StepFailure f) {
        try {
            TargetDisk.open(disk).wipeHead();
            return new StepFailure(f.step(), f.getMessage() + "; the disk's first MiB was zeroed", f.getCause());
        } catch (IOException | StepFailure e) {
            return new StepFailure(f.step(), f.getMessage() + "; zeroing the disk's first MiB also failed: "
                    + e.getMessage(), f.getCause());
        }
    }
}

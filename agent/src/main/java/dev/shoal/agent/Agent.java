package dev.shoal.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.agent.disk.TargetDisk;
import dev.shoal.agent.image.HttpImageSource;
import dev.shoal.agent.image.ImageResult;
import dev.shoal.agent.image.ImageWriter;
import dev.shoal.agent.image.QemuImg;
import dev.shoal.agent.report.Reporter;
import dev.shoal.agent.report.RetryPolicy;
import dev.shoal.agent.task.Callback;
import dev.shoal.agent.task.Recipe;
import dev.shoal.agent.task.Task;
import dev.shoal.agent.task.TaskException;
import dev.shoal.agent.task.TaskParser;
import dev.shoal.agent.task.TaskSource;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * One run: read the task, report "agent started", write the image, report succeeded or failed(step, reason).
 * Returns the exit code: 0 only if the image is on the disk, verified, and the controller was told so.
 * A task whose callback fields are unusable cannot be reported at all: that goes to {@code err} only.
 */
public final class Agent {
    public static final String READ_TASK = "read-task";
    public static final String START = "start";
    public static final String CONFIG_DRIVE = "config-drive";

    private final RetryPolicy retry;
    private final QemuImg qemuImg;
    private final Path tempDir;
    private final Duration progressInterval;
    private final PrintStream err;

    public Agent(RetryPolicy retry, QemuImg qemuImg, Path tempDir, Duration progressInterval, PrintStream err) {
        this.retry = retry;
        this.qemuImg = qemuImg;
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
        try {
            json = TaskSource.read(options.task());
            callback = TaskParser.callback(json);
        } catch (TaskException e) {
            err.println("shoal-agent: cannot report, " + e.getMessage());
            return 1;
        }
        try (Reporter reporter = new Reporter(callback, retry, Clock.systemUTC())) {
            reporter.log(START, "agent started");
            reporter.startHeartbeat(options.heartbeat());
            try {
                ImageResult r = deploy(json, options, reporter);
                String msg = "image written and verified: " + r.checksum() + ", " + r.downloadedBytes()
                        + " bytes downloaded (" + r.compression().wire() + "), " + r.writtenBytes() + " bytes written to "
                        + options.disk();
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

    private ImageResult deploy(JsonNode json, AgentOptions options, Reporter reporter) throws StepFailure {
        Task task;
        try {
            task = TaskParser.parse(json);
        } catch (TaskException e) {
            throw new StepFailure(READ_TASK, e.getMessage(), e);
        }
        if (!(task.recipe() instanceof Recipe.Image image)) {
            throw new StepFailure(READ_TASK, "recipe.kind bootc is not supported by this agent yet");
        }
        if (image.configDrive().isPresent()) {
            // Failing beats booting a machine without the cloud-init data the job asked for.
            throw new StepFailure(CONFIG_DRIVE, "recipe.config_drive is not supported by this agent yet");
        }
        TargetDisk disk = TargetDisk.open(options.disk());
        reporter.log(ImageWriter.WRITE, "writing " + image.url() + " (" + image.format().wire() + ") to " + disk.path()
                + disk.size().stream().mapToObj(s -> " (" + s + " bytes)").findFirst().orElse(""));
        ImageWriter writer = new ImageWriter(new HttpImageSource(HttpImageSource.newClient(Tls.context(task.callback().caCerts()))),
                qemuImg, tempDir, progressInterval);
        return writer.write(image, disk, (done, total) -> reporter.progress(ImageWriter.WRITE, done, total));
    }
}

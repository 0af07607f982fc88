package dev.shoal.agent.task;

import dev.shoal.iso.IsoWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Finding the task volume by label. The "devices" are ISO image files in a temporary directory: a stand-in for the
 * CD drives and virtual-media sticks of a real server, which cannot exist on a build machine.
 */
class TaskFinderTest {
    @TempDir
    Path dir;
    final List<Duration> sleeps = new ArrayList<>();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private TaskFinder finder(java.util.function.Supplier<List<Path>> candidates, int attempts) {
        return new TaskFinder(candidates, attempts, Duration.ofSeconds(1), sleeps::add,
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path iso(String name, String label) throws Exception {
        Path p = dir.resolve(name);
        IsoWriter.builder().volumeId(label).file("task.json", TaskSourceTest.task(TaskSourceTest.IMAGE)).build().writeTo(p);
        return p;
    }

    @Test
    void takesTheVolumeLabelledShoalTaskAndSkipsOthers() throws Exception {
        Path other = iso("sr0", "CONFIG-2");
        Path corrupt = Files.write(dir.resolve("sr1"), new byte[64 * 1024]);
        Path empty = dir.resolve("sr2"); // a drive without a medium: cannot be opened
        Path task = iso("sr3", "SHOAL-TASK");

        Path found = finder(() -> TaskFinder.glob(dir, "sr*"), 3).find();

        assertThat(List.of(other, corrupt, empty)).doesNotContain(found);
        assertThat(found).isEqualTo(task);
        assertThat(sleeps).isEmpty();
        assertThat(TaskSource.load(found).callback().jobId()).isEqualTo(TaskSourceTest.JOB);
    }

    @Test
    void retriesUntilTheCdAppears() throws Exception {
        Path task = iso("task.iso", "SHOAL-TASK");
        AtomicInteger scans = new AtomicInteger();

        Path found = finder(() -> scans.incrementAndGet() < 4 ? List.of() : List.of(task), 30).find();

        assertThat(found).isEqualTo(task);
        assertThat(scans).hasValue(4);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1));
        assertThat(err.toString()).contains("found the SHOAL-TASK volume on " + task + " at attempt 4");
    }

    @Test
    void givesUpAfterTheAttemptsWithWhatItSaw() throws Exception {
        Path other = iso("sr0", "CONFIG-2");
        Path corrupt = Files.write(dir.resolve("sr1"), "not an iso".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> finder(() -> TaskFinder.glob(dir, "sr*"), 3).find())
                .isInstanceOf(TaskException.class)
                .hasMessageContaining("no SHOAL-TASK volume found after 3 attempt(s) 1000 ms apart")
                .hasMessageContaining(other + ": volume CONFIG-2")
                .hasMessageContaining(corrupt + ": not a readable ISO 9660 volume");
        assertThat(sleeps).hasSize(2);
        assertThatThrownBy(() -> finder(List::of, 1).find()).hasMessageContaining("last scan: no candidate devices");
    }

    @Test
    void defaultCandidatesAreCdDrivesThenOtherBlockDevices() throws Exception {
        Path dev = Files.createDirectories(dir.resolve("dev"));
        Path sys = Files.createDirectories(dir.resolve("sys/block"));
        for (String n : List.of("sda", "sr0", "nvme0n1", "loop0", "sr1")) {
            Files.createDirectories(sys.resolve(n));
        }
        Files.writeString(dev.resolve("sr1"), "");
        Files.writeString(dev.resolve("sr0"), "");

        assertThat(TaskFinder.devices(dev, dir.resolve("sys")))
                .containsExactly(dev.resolve("sr0"), dev.resolve("sr1"), dev.resolve("nvme0n1"), dev.resolve("sda"));
    }
}

package dev.shoal.bmcsim.agentmachine;

import dev.shoal.bmcsim.BmcSimulator;
import dev.shoal.bmcsim.SimulatedBmc;
import dev.shoal.bmcsim.SimulatorConfig;
import dev.shoal.bmcsim.agentmachine.BootRecord.AgentExited;
import dev.shoal.bmcsim.agentmachine.Provisioning.Job;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.bmcsim.support.FakeController;
import dev.shoal.bmcsim.support.ImageServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Benchmarks provision 200 simulated servers at once: all of them must boot, run their agent and install, in one JVM. */
class ManyAgentsTest {
    static final int SERVERS = 200;

    @TempDir
    Path work;

    @Test
    void twoHundredServersInstallAtOnce() throws Exception {
        byte[] image = Provisioning.random(256 * 1024, 11);
        try (ImageServer files = ImageServer.http();
             FakeController controller = new FakeController();
             AgentMachine machine = new AgentMachine(AgentMachineConfig.of(work).withDiskBytes(AgentMachineConfig.MIB));
             BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(Personality.GENERIC, "srv", SERVERS).withMachine(machine));
             ExecutorService drivers = Executors.newVirtualThreadPerTaskExecutor()) {
            String maintenance = files.put("/maint.iso", Provisioning.maintenanceIso());
            String recipe = Provisioning.rawRecipe(files.put("/os.raw", image), image);
            Map<String, Job> jobs = new HashMap<>();
            List<Future<?>> started = new ArrayList<>();
            for (SimulatedBmc bmc : sim.bmcs()) {
                Job job = Job.random();
                jobs.put(bmc.name(), job);
                controller.job(job.id(), job.token());
                String task = files.put("/" + bmc.name() + "/task.iso", Provisioning.taskIso(job, controller.base(), recipe, ""));
                started.add(drivers.submit(() -> Provisioning.provision(bmc, maintenance, task)));
            }
            for (Future<?> f : started) {
                f.get();
            }

            for (SimulatedBmc bmc : sim.bmcs()) {
                BootRecord boot = machine.awaitBoots(bmc.name(), 1, Duration.ofMinutes(3)).getFirst();
                assertThat(boot.outcome()).as(bmc.name() + ": " + boot.describe()).isEqualTo(new AgentExited(0));
                assertThat(controller.events(jobs.get(bmc.name()).id()).getLast().type()).as(bmc.name()).isEqualTo("succeeded");
                assertThat(head(machine.disk(bmc.name()), image.length)).as(bmc.name()).isEqualTo(Provisioning.sha256(image));
            }
            assertThat(machine.agentsRunning()).isZero();
            assertThat(controller.refused()).isZero();
        }
    }

    /** SHA-256 of the first {@code n} bytes of a disk file. */
    private static String head(Path disk, int n) throws Exception {
        try (FileChannel ch = FileChannel.open(disk, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(n);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // until n bytes or the end
            }
            return Provisioning.sha256(java.util.Arrays.copyOf(b.array(), b.position()));
        }
    }
}

package dev.shoal.redfish.boot;

import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.bmc.BmcState;
import dev.shoal.bmcsim.bmc.PowerState;
import dev.shoal.bmcsim.bmc.SlotState;
import dev.shoal.bmcsim.machine.BootContext;
import dev.shoal.bmcsim.machine.BootSource;
import dev.shoal.bmcsim.machine.RecordingMachine;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.redfish.BmcClient;
import dev.shoal.bmcsim.media.ImageServer;
import dev.shoal.redfish.SimBmc;
import dev.shoal.redfish.quirks.Vendor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole virtual-media boot and finish sequence against every simulated personality, over HTTP. */
class VirtualMediaBootTest {

    static Vendor expectedProfile(Personality p) {
        return switch (p) {
            case DELL, DELL_IDRAC10 -> Vendor.DELL;
            default -> Vendor.valueOf(p.name());
        };
    }

    @ParameterizedTest
    @EnumSource(Personality.class)
    void bootsBothIsosThenBootsFromDisk(Personality personality, @TempDir Path dir) throws Exception {
        boolean httpsOnly = personality == Personality.OPENBMC;
        try (ImageServer images = httpsOnly ? ImageServer.https() : ImageServer.http();
             SimBmc sim = new SimBmc(BmcSpec.of("bmc", personality).withPowerDelay(Duration.ofMillis(150)));
             BmcClient client = sim.client()) {
            URI maint = images.uri("bootc-maintenance.iso");
            URI task = images.uri("tasks/job-1/task.iso");
            assertThat(client.inventory().profile().vendor()).isEqualTo(expectedProfile(personality));

            VirtualMediaBoot vm = client.virtualMedia(sim.recorder());
            VirtualMediaBoot.Inserted used = vm.bootFromIsos(maint, Optional.of(task));

            BmcState s = sim.bmc.state();
            assertThat(s.power()).isEqualTo(PowerState.ON);
            assertThat(s.media()).anySatisfy(m -> assertThat(m.image()).isEqualTo(maint.toString()))
                    .anySatisfy(m -> assertThat(m.image()).isEqualTo(task.toString()));
            String cd = personality == Personality.SUPERMICRO ? "UsbCd" : "Cd";
            RecordingMachine machine = (RecordingMachine) sim.sim.machine();
            List<BootContext> boots = machine.awaitBoots("bmc", 1, Duration.ofSeconds(10));
            assertThat(boots.getLast().source()).as("booted from the virtual CD").isEqualTo(BootSource.CD);
            assertThat(boots.getLast().media().values()).contains(maint.toString(), task.toString());
            assertThat(images.requests()).as("the BMC fetched the ISOs").isGreaterThanOrEqualTo(2);
            assertThat(sim.steps()).containsSubsequence("power-off", "eject", "insert", "insert", "boot-override",
                    "power-on", "booting");
            assertThat(sim.events).anySatisfy(e -> assertThat(e).contains(cd + ", Once"));

            vm.finish(used.task().isPresent() ? List.of(used.maintenance(), used.task().get()) : List.of(used.maintenance()));
            BmcState after = sim.bmc.state();
            assertThat(after.power()).isEqualTo(PowerState.ON);
            assertThat(after.media()).allSatisfy(m -> assertThat(m.image()).as("slot %s", m.id()).isNullOrEmpty());
            boots = machine.awaitBoots("bmc", 2, Duration.ofSeconds(10));
            assertThat(boots.getLast().source()).as("booted from disk").isEqualTo(BootSource.HDD);
            if (after.pendingSettings().isEmpty()) {
                assertThat(after.boot().target()).isEqualTo("Hdd");
                assertThat(after.boot().enabled()).isIn("Continuous", "Once");
            }
        }
    }

    static SlotState holding(BmcState s, URI image) {
        return s.media().stream().filter(m -> image.toString().equals(m.image())).findFirst().orElseThrow();
    }
}

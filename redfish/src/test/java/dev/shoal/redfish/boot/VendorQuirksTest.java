package dev.shoal.redfish.boot;

import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.bmc.BmcState;
import dev.shoal.bmcsim.bmc.PowerState;
import dev.shoal.bmcsim.bmc.RequestRecord;
import dev.shoal.bmcsim.faults.FaultPlan;
import dev.shoal.bmcsim.media.InsertRequirements;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.redfish.BmcClient;
import dev.shoal.bmcsim.media.ImageServer;
import dev.shoal.redfish.SimBmc;
import dev.shoal.redfish.quirks.Vendor;
import dev.shoal.redfish.transport.RedfishException;
import dev.shoal.redfish.transport.TlsPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each vendor quirk against the simulator: transient ones are ridden out (and the simulator's request log
 * shows they happened), persistent ones fail with an error that quotes the BMC.
 */
class VendorQuirksTest {
    static ImageServer images;
    static URI maint;
    static URI task;

    @BeforeAll
    static void images() throws Exception {
        images = ImageServer.http();
        maint = images.uri("bootc-maintenance.iso");
        task = images.uri("task.iso");
    }

    @AfterAll
    static void stop() {
        images.close();
    }

    static long count(List<RequestRecord> rs, int status) {
        return rs.stream().filter(r -> r.status() == status).count();
    }

    static boolean anyOk(List<RequestRecord> rs) {
        return rs.stream().anyMatch(r -> r.status() >= 200 && r.status() < 300);
    }

    @Test
    void dellInsertDuringARunningEjectIsRetried() {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.DELL)); BmcClient c = sim.client()) {
            c.virtualMedia(sim.recorder()).media().insert(c.inventory().slots().getFirst(), maint);
            c.virtualMedia(sim.recorder()).bootFromIsos(task, Optional.empty()); // ejects, then inserts at once
            List<RequestRecord> inserts = sim.bmc.state().requests("POST", "VirtualMedia.InsertMedia");
            assertThat(count(inserts, 500)).as("the BMC said 500 while ejecting").isPositive();
            assertThat(inserts.getLast().status()).isBetween(200, 299);
        }
    }

    @Test
    void dellNotReadySys518IsRidenOut() {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.DELL).withFaults(FaultPlan.NONE.withNotReady(3)));
             BmcClient c = sim.client(Optional.of(Vendor.DELL), TlsPolicy.VERIFY, SimBmc.settings())) {
            assertThat(c.inventory().systemPath()).endsWith("System.Embedded.1");
            assertThat(sim.bmc.faults().notReady()).as("the BMC answered 'not ready' all three times").isZero();
        }
    }

    @Test
    void idrac10PowerOnRightAfterPowerOffIsRetriedAndBootGoesThroughSettings() {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.DELL_IDRAC10)); BmcClient c = sim.client()) {
            assertThat(c.inventory().slots()).allSatisfy(s -> assertThat(s.underSystem()).isTrue());
            assertThat(c.inventory().bootSettingsPath()).isNotEqualTo(c.inventory().systemPath());
            var power = c.virtualMedia(sim.recorder()).power();
            power.on();
            power.off();
            power.on();
            List<RequestRecord> resets = sim.bmc.state().requests("POST", "ComputerSystem.Reset");
            assertThat(count(resets, 409)).as("409 right after power-off").isPositive();
            assertThat(sim.bmc.state().power()).isEqualTo(PowerState.ON);
        }
    }

    @Test
    void hpeTransientPostStateErrorsAreRetried() {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.HPE)); BmcClient c = sim.client()) {
            var vm = c.virtualMedia(sim.recorder());
            vm.power().on();
            new BootOverride(c.transport(), c.inventory(), sim.recorder()).set("Cd", "Once", "UEFI");
            List<RequestRecord> patches = sim.bmc.state().requests("PATCH", c.inventory().systemPath());
            assertThat(count(patches, 400)).as("UnableToModifyDuringSystemPOST while POSTing").isPositive();
            assertThat(patches.getLast().status()).isBetween(200, 299);
        }
    }

    @Test
    void hpeEjectCarriesAJsonBody() {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.HPE)); BmcClient c = sim.client()) {
            var slot = c.inventory().slots().getFirst();
            c.virtualMedia(sim.recorder()).media().insert(slot, maint);
            c.virtualMedia(sim.recorder()).media().eject(slot);
            List<RequestRecord> ejects = sim.bmc.state().requests("POST", "VirtualMedia.EjectMedia");
            assertThat(ejects.getLast().status()).isBetween(200, 299);
            assertThat(ejects.getLast().body()).isEqualTo("{}");
        }
    }

    @Test
    void supermicroBootsUsbCdAndRefusesQueryUrlsBeforeAsking() throws Exception {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.SUPERMICRO)); BmcClient c = sim.client()) {
            assertThat(c.inventory().profile().cdBootTarget()).isEqualTo("UsbCd");
            var slot = c.inventory().slots().getFirst();
            assertThatThrownBy(() -> c.virtualMedia(sim.recorder()).media().insert(slot, URI.create(maint + "?sig=abc")))
                    .hasMessageContaining("'?' or '='");
            assertThat(sim.bmc.state().requests("POST", "VirtualMedia.InsertMedia")).isEmpty();
        }
        // Why the profile matters: Supermicro accepts Cd too, but only UsbCd boots the virtual CD, so the
        // generic profile "succeeds" and the server boots from its disk instead.
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.SUPERMICRO));
             BmcClient c = sim.client(Optional.of(Vendor.GENERIC), TlsPolicy.VERIFY, SimBmc.settings())) {
            c.virtualMedia(sim.recorder()).bootFromIsos(maint, Optional.of(task));
            var machine = (dev.shoal.bmcsim.machine.RecordingMachine) sim.sim.machine();
            assertThat(machine.awaitBoots("bmc", 1, Duration.ofSeconds(10)).getLast().source())
                    .isEqualTo(dev.shoal.bmcsim.machine.BootSource.HDD);
        }
    }

    @Test
    void supermicroRejectsInsertedSoTheFirstFormIsImageOnly() {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.SUPERMICRO)); BmcClient c = sim.client()) {
            c.virtualMedia(sim.recorder()).media().insert(c.inventory().slots().getFirst(), maint);
            List<RequestRecord> inserts = sim.bmc.state().requests("POST", "VirtualMedia.InsertMedia");
            assertThat(inserts).allSatisfy(r -> assertThat(r.body()).doesNotContain("Inserted").doesNotContain("WriteProtected"));
            assertThat(anyOk(inserts)).isTrue();
        }
    }

    @Test
    void lenovoInsertsAndEjectsByPatch() {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.LENOVO)); BmcClient c = sim.client()) {
            var slot = c.inventory().slots().stream().filter(s -> s.accepts("CD") || s.accepts("DVD")).findFirst().orElseThrow();
            assertThat(slot.insertTarget()).isEmpty();
            assertThat(slot.patchable()).isTrue();
            var media = c.virtualMedia(sim.recorder()).media();
            media.insert(slot, maint);
            assertThat(sim.bmc.state().slot(slot.id()).image()).isEqualTo(maint.toString());
            media.eject(slot);
            assertThat(sim.bmc.state().slot(slot.id()).image()).isNullOrEmpty();
            assertThat(sim.bmc.state().requests("POST", "VirtualMedia.InsertMedia")).isEmpty();
        }
    }

    @Test
    void amiGetsModeEnabledAndTargetInEveryBootPatch() {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.AMI)); BmcClient c = sim.client()) {
            new BootOverride(c.transport(), c.inventory(), sim.recorder()).disk();
            List<RequestRecord> patches = sim.bmc.state().requests().stream().filter(r -> r.method().equals("PATCH")).toList();
            assertThat(patches).isNotEmpty().allSatisfy(p -> assertThat(p.body())
                    .contains("BootSourceOverrideMode", "BootSourceOverrideEnabled", "BootSourceOverrideTarget"));
            assertThat(anyOk(patches)).isTrue();
        }
    }

    @Test
    void openBmcRefusesHttpImagesAndQuotesTheBmcWhenForced(@TempDir Path dir) {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.OPENBMC)); BmcClient c = sim.client()) {
            var slot = c.inventory().slots().getFirst();
            assertThatThrownBy(() -> c.virtualMedia(sim.recorder()).media().insert(slot, maint))
                    .hasMessageContaining("HTTPS only");
        }
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.OPENBMC));
             BmcClient c = sim.client(Optional.of(Vendor.GENERIC), TlsPolicy.VERIFY, SimBmc.settings())) {
            assertThatThrownBy(() -> c.virtualMedia(sim.recorder()).bootFromIsos(maint, Optional.of(task)))
                    .isInstanceOf(RedfishException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsIgnoringCase("https"));
        }
    }

    @Test
    void ciscoSkipsTheKvmOnlySlot() {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.CISCO)); BmcClient c = sim.client()) {
            c.virtualMedia(sim.recorder()).bootFromIsos(maint, Optional.of(task));
            BmcState s = sim.bmc.state();
            assertThat(s.media()).anySatisfy(m -> assertThat(m.image()).isEqualTo(maint.toString()))
                    .anySatisfy(m -> assertThat(m.image()).isEqualTo(task.toString()));
            assertThat(s.requests().stream().anyMatch(r -> r.path().endsWith("InsertMedia") && (r.status() == 405 || r.status() == 400)))
                    .as("one slot refused media").isTrue();
            assertThat(sim.events).anySatisfy(e -> assertThat(e).contains("trying the next slot"));
        }
    }

    @Test
    void genericFieldLadderReachesWhatTheBmcRequires() {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.GENERIC).withInsertRequirements(InsertRequirements.ALL));
             BmcClient c = sim.client()) {
            var slot = c.inventory().slots().getFirst();
            c.virtualMedia(sim.recorder()).media().insert(slot, maint);
            List<RequestRecord> inserts = sim.bmc.state().requests("POST", "VirtualMedia.InsertMedia");
            assertThat(count(inserts, 400)).isGreaterThanOrEqualTo(3);
            RequestRecord ok = inserts.getLast();
            assertThat(ok.status()).isBetween(200, 299);
            assertThat(ok.body()).contains("TransferProtocolType", "\"TransferMethod\":\"Stream\"", "UserName");
            assertThat(sim.bmc.state().slot(slot.id()).image()).isEqualTo(maint.toString());
        }
    }

    @Test
    void aBmcWithOneSlotIsToldClearlyBeforeAnythingIsTouched() {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.GENERIC)); BmcClient c = sim.client()) {
            var full = c.inventory();
            var oneSlot = new dev.shoal.redfish.discovery.BmcInventory(full.serviceRoot(), full.systemPath(), full.system(),
                    full.managerPaths(), full.manager(), List.of(full.slots().getFirst()), full.profile(), true,
                    full.bootSettingsPath());
            var vm = new VirtualMediaBoot(c.transport(), oneSlot, sim.recorder(), Duration.ofSeconds(10), Duration.ofMillis(50));
            assertThatThrownBy(() -> vm.bootFromIsos(maint, Optional.of(task)))
                    .hasMessageContaining("only one virtual media slot").hasMessageContaining("a job needs two");
            assertThat(sim.bmc.state().requests().stream().filter(r -> !r.method().equals("GET") && !r.path().contains("Sessions")))
                    .as("nothing was changed").isEmpty();
            assertThat(dev.shoal.redfish.discovery.Capabilities.of(oneSlot, true).ready()).isFalse();
        }
    }

    @Test
    void anImageTheBmcCannotFetchFailsQuotingTheBmc() {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.GENERIC)); BmcClient c = sim.client()) {
            URI missing = images.uri("missing/none.iso");
            assertThatThrownBy(() -> c.virtualMedia(sim.recorder()).bootFromIsos(missing, Optional.of(task)))
                    .isInstanceOf(RedfishException.class).hasMessageContaining("BMC answered").hasMessageContaining("404");
        }
    }
}

package dev.shoal.bmcsim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.bmcsim.bmc.PowerState;
import dev.shoal.bmcsim.faults.FaultPlan;
import dev.shoal.bmcsim.http.Json;
import dev.shoal.bmcsim.machine.BootSource;
import dev.shoal.bmcsim.machine.RecordingMachine;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.bmcsim.support.Http;
import dev.shoal.bmcsim.support.Http.Resp;
import dev.shoal.bmcsim.support.ImageServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Each vendor quirk, reproduced over HTTP the way a client would meet it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VendorQuirksTest {
    BmcSimulator sim;
    ImageServer images;
    ImageServer tlsImages;
    final RecordingMachine machine = new RecordingMachine();

    @BeforeAll
    void start() throws IOException {
        sim = BmcSimulator.start(new SimulatorConfig(null, List.of(
                BmcSpec.of("dell", Personality.DELL),
                BmcSpec.of("dell-notready", Personality.DELL),
                BmcSpec.of("idrac10", Personality.DELL_IDRAC10),
                BmcSpec.of("hpe", Personality.HPE),
                BmcSpec.of("hpe-slow", Personality.HPE).withPowerDelay(Duration.ofMillis(500)),
                BmcSpec.of("smc", Personality.SUPERMICRO),
                BmcSpec.of("lenovo", Personality.LENOVO),
                BmcSpec.of("ami", Personality.AMI),
                BmcSpec.of("openbmc", Personality.OPENBMC),
                BmcSpec.of("cisco", Personality.CISCO)), 0, machine, false));
        images = ImageServer.http();
        tlsImages = ImageServer.https();
        // the iDRAC "not ready" habit is exercised on its own BMC; elsewhere it would only get in the way
        sim.bmc("dell").faults(FaultPlan.NONE.withNotReadyAfterPowerChange(0));
        sim.bmc("idrac10").faults(FaultPlan.NONE.withNotReadyAfterPowerChange(0));
    }

    @AfterAll
    void stop() {
        sim.close();
        images.close();
        tlsImages.close();
    }

    Http client(String name) {
        SimulatedBmc b = sim.bmc(name);
        return Http.to(b.baseUri()).basic(b.credentials());
    }

    static JsonNode reset(String type) {
        return Json.object().put("ResetType", type);
    }

    static JsonNode boot(String enabled, String target, String mode) {
        var b = Json.object();
        if (enabled != null) {
            b.put("BootSourceOverrideEnabled", enabled);
        }
        if (target != null) {
            b.put("BootSourceOverrideTarget", target);
        }
        if (mode != null) {
            b.put("BootSourceOverrideMode", mode);
        }
        return Json.object().set("Boot", b);
    }

    // ---- Dell iDRAC 9 -------------------------------------------------------------------------------

    @Test
    void dellEjectIsSlowStaleAndBlocksInserts() {
        SimulatedBmc bmc = sim.bmc("dell");
        bmc.reset();
        Http c = client("dell");
        String cd = "/redfish/v1/Managers/iDRAC.Embedded.1/VirtualMedia/CD";
        JsonNode sys = c.get("/redfish/v1/Systems/System.Embedded.1").json();
        assertThat(sys.path("Oem").path("Dell").has("DellSystem")).isTrue();
        assertThat(c.get("/redfish/v1/Managers/iDRAC.Embedded.1").json().path("Model").asText()).isEqualTo("14G Monolithic");
        assertThat(c.get("/redfish/v1/Systems/System.Embedded.1/VirtualMedia/CD").status()).as("newer firmware: also under Systems").isEqualTo(200);
        String url = images.add("/dell.iso", 100_000);
        assertThat(c.post(cd + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url)).status()).isEqualTo(204);
        Resp twice = c.post(cd + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url));
        assertThat(twice.status()).isEqualTo(500);
        assertThat(twice.messageId()).isEqualTo("IDRAC.2.8.VRM0012");

        assertThat(c.post(cd + "/Actions/VirtualMedia.EjectMedia", Json.object()).status()).isEqualTo(204);
        JsonNode slot = c.get(cd).json();
        assertThat(slot.path("Inserted").asBoolean()).as("stale while the eject runs").isTrue();
        assertThat(slot.path("Image").isNull()).isTrue();
        assertThat(bmc.state().slot("CD").ejecting()).isTrue();
        Resp during = c.post(cd + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url));
        assertThat(during.status()).isEqualTo(500);
        assertThat(during.messageId()).isEqualTo("IDRAC.2.8.SYS446");
        assertThat(during.json().path("error").path("code").asText()).isEqualTo("Base.1.8.GeneralError");
        assertThat(during.json().path("error").path("@Message.ExtendedInfo").path(1).path("MessageId").asText()).isEqualTo("Base.1.8.InternalError");
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100))
                .until(() -> c.post(cd + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url)).status() == 204);
        assertThat(c.get(cd).json().path("Inserted").asBoolean()).isTrue();
        assertThat(c.get(c.get(cd).json().path("@odata.id").asText()).header("Allow")).isEqualTo("GET");
    }

    @Test
    void dellFailuresUseIdracMessages() {
        sim.bmc("dell").reset();
        Http c = client("dell");
        String rd = "/redfish/v1/Managers/iDRAC.Embedded.1/VirtualMedia/RemovableDisk";
        Resp empty = c.post(rd + "/Actions/VirtualMedia.EjectMedia", Json.object());
        assertThat(empty.status()).isEqualTo(500);
        assertThat(empty.messageId()).isEqualTo("IDRAC.2.8.VRM0009");
        String missing = images.url("/gone.img");
        Resp bad = c.post(rd + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", missing));
        assertThat(bad.status()).isEqualTo(500);
        assertThat(bad.messageId()).isEqualTo("IDRAC.2.8.RAC0720");
        assertThat(bad.message()).contains(missing, "404");

        String sys = "/redfish/v1/Systems/System.Embedded.1";
        Resp patch = c.patch(sys, boot("Once", "Cd", null));
        assertThat(patch.status()).isEqualTo(200);
        assertThat(patch.json().path("@Message.ExtendedInfo").path(0).path("MessageId").asText()).endsWith("Success");
        assertThat(c.post(sys + "/Actions/ComputerSystem.Reset", reset("On")).status()).isEqualTo(204);
        Resp again = c.post(sys + "/Actions/ComputerSystem.Reset", reset("On"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.message()).contains("already powered ON");
        assertThat(c.post(sys + "/Actions/ComputerSystem.Reset", reset("ForceOff")).status()).isEqualTo(204);
        assertThat(c.post(sys + "/Actions/ComputerSystem.Reset", reset("GracefulShutdown")).status()).isEqualTo(409);
    }

    @Test
    void dellIsNotReadyForTwoGetsAfterAReset() {
        SimulatedBmc bmc = sim.bmc("dell-notready");
        bmc.reset();
        Http c = client("dell-notready");
        String sys = "/redfish/v1/Systems/System.Embedded.1";
        assertThat(c.get(sys).status()).isEqualTo(200);
        assertThat(c.post(sys + "/Actions/ComputerSystem.Reset", reset("On")).status()).isEqualTo(204);
        Resp first = c.get(sys);
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.messageId()).isEqualTo("IDRAC.2.8.SYS518");
        assertThat(first.header("Retry-After")).isEqualTo("1");
        assertThat(first.json().path("error").path("@Message.ExtendedInfo").path(1).path("MessageId").asText())
                .isEqualTo("Base.1.12.ServiceTemporarilyUnavailable");
        assertThat(Http.to(bmc.baseUri()).get("/redfish/v1/").status()).as("the service root still answers").isEqualTo(200);
        assertThat(c.get("/redfish/v1/Managers/iDRAC.Embedded.1").status()).isEqualTo(503);
        assertThat(c.get(sys).status()).isEqualTo(200);
        assertThat(c.get(sys).json().path("PowerState").asText()).isEqualTo("On");
    }

    // ---- Dell iDRAC 10 ------------------------------------------------------------------------------

    @Test
    void idrac10BootOverrideGoesThroughSettingsAndAppliesAtReset() throws Exception {
        SimulatedBmc bmc = sim.bmc("idrac10");
        bmc.reset();
        Http c = client("idrac10");
        String sys = "/redfish/v1/Systems/System.Embedded.1";
        String settings = sys + "/Settings";
        assertThat(c.get("/redfish/v1/Managers/iDRAC.Embedded.1/VirtualMedia").status()).as("no media under the Manager").isEqualTo(404);
        assertThat(c.get("/redfish/v1/Managers/iDRAC.Embedded.1").json().has("VirtualMedia")).isFalse();
        JsonNode system = c.get(sys).json();
        assertThat(system.path("@Redfish.Settings").path("SettingsObject").path("@odata.id").asText()).isEqualTo(settings);
        assertThat(system.path("Boot").path("@Redfish.Settings").path("SettingsObject").path("@odata.id").asText()).isEqualTo(settings);
        assertThat(system.path("Boot").has("BootSourceOverrideTarget@Redfish.AllowableValues")).as("only the Settings list them").isFalse();
        assertThat(c.get(settings).json().path("Boot").path("BootSourceOverrideTarget@Redfish.AllowableValues")).extracting(JsonNode::asText).contains("Cd");
        assertThat(c.get("/redfish/v1/Managers/iDRAC.Embedded.1").json().path("Model").asText()).isEqualTo("17G Monolithic");

        Resp direct = c.patch(sys, boot("Once", "Cd", "UEFI"));
        assertThat(direct.status()).isEqualTo(400);
        assertThat(direct.messageId()).isEqualTo("Base.1.18.PropertyNotWritable");
        assertThat(direct.message()).contains(settings);

        String url = images.add("/i10.iso", 80_000);
        assertThat(c.post(sys + "/VirtualMedia/1/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url)).status()).isEqualTo(204);
        Resp s = c.get(settings);
        assertThat(s.header("ETag")).matches("\"[0-9a-f]{16}\"");
        assertThat(s.json().path("Boot").has("BootSourceOverrideTarget")).isTrue();
        Resp stale = c.patch(settings, boot("Once", "Cd", "UEFI"), Map.of("If-Match", "\"feedfacefeedface\""));
        assertThat(stale.status()).isEqualTo(412);
        assertThat(c.patch(settings, boot("Once", "Cd", "UEFI"), Map.of("If-Match", s.header("ETag"))).status()).isEqualTo(200);
        assertThat(bmc.state().pendingSettings()).containsEntry("BootSourceOverrideTarget", "Cd").containsEntry("BootSourceOverrideEnabled", "Once");
        assertThat(bmc.state().boot().enabled()).as("not applied before the reset").isEqualTo("Disabled");
        assertThat(c.get(settings).json().path("Boot").path("BootSourceOverrideTarget").asText()).isEqualTo("Cd");

        int before = machine.boots("idrac10").size();
        assertThat(c.post(sys + "/Actions/ComputerSystem.Reset", reset("On")).status()).isEqualTo(204);
        var boots = machine.awaitBoots("idrac10", before + 1, Duration.ofSeconds(5));
        assertThat(boots.get(before).source()).isEqualTo(BootSource.CD);
        assertThat(bmc.state().pendingSettings()).isEmpty();
        assertThat(bmc.state().boot().enabled()).isEqualTo("Disabled");
        assertThat(bmc.state().boot().target()).isEqualTo("Cd");

        // slots 1 and 2 look the same, but only 1 boots
        c.post(sys + "/Actions/ComputerSystem.Reset", reset("ForceOff"));
        assertThat(c.post(sys + "/VirtualMedia/1/Actions/VirtualMedia.EjectMedia", Json.object()).status()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100))
                .until(() -> c.post(sys + "/VirtualMedia/2/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url)).status() == 204);
        c.patch(settings, boot("Once", "Cd", "UEFI"));
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(200)).until(() -> c.post(sys + "/Actions/ComputerSystem.Reset", reset("On")).status() == 204);
        boots = machine.awaitBoots("idrac10", before + 2, Duration.ofSeconds(5));
        assertThat(boots.get(before + 1).source()).isEqualTo(BootSource.HDD);
        assertThat(boots.get(before + 1).media()).containsEntry("2", url);
    }

    @Test
    void idrac10RefusesPowerOnRightAfterAPowerOff() {
        SimulatedBmc bmc = sim.bmc("idrac10");
        bmc.reset();
        Http c = client("idrac10");
        String action = "/redfish/v1/Systems/System.Embedded.1/Actions/ComputerSystem.Reset";
        assertThat(c.post(action, reset("On")).status()).isEqualTo(204);
        assertThat(c.post(action, reset("ForceOff")).status()).isEqualTo(204);
        Resp on = c.post(action, reset("On"));
        assertThat(on.status()).isEqualTo(409);
        assertThat(on.messageId()).isEqualTo("Base.1.18.ResourceInUse");
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(200)).until(() -> c.post(action, reset("On")).status() == 204);
        assertThat(bmc.state().power()).isEqualTo(PowerState.ON);
    }

    // ---- HPE iLO ------------------------------------------------------------------------------------

    @Test
    void hpeWantsAJsonBodyToEjectAndWrapsSuccessInAnErrorObject() {
        sim.bmc("hpe").reset();
        Http c = client("hpe");
        String cd = "/redfish/v1/Managers/1/VirtualMedia/2";
        assertThat(c.get(cd).json().path("MediaTypes")).extracting(JsonNode::asText).containsExactly("CD", "DVD");
        String url = images.add("/hpe.iso", 100_000);
        Resp insert = c.post(cd + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url));
        assertThat(insert.status()).isEqualTo(200);
        assertThat(insert.header("Content-Encoding")).as("iLO compresses when not asked not to").isEqualTo("gzip");
        assertThat(insert.json().path("error").path("code").asText()).isEqualTo("iLO.0.10.ExtendedInfo");
        assertThat(insert.json().path("error").path("@Message.ExtendedInfo").path(0).path("MessageId").asText()).isEqualTo("Base.1.4.Success");
        Resp twice = c.post(cd + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url));
        assertThat(twice.messageId()).isEqualTo("iLO.2.16.MaxVirtualMediaConnectionEstablished");
        Resp noBody = c.post(cd + "/Actions/VirtualMedia.EjectMedia", null);
        assertThat(noBody.status()).isEqualTo(400);
        assertThat(sim.bmc("hpe").state().slot("2").inserted()).isTrue();
        assertThat(c.post(cd + "/Actions/VirtualMedia.EjectMedia", Json.object()).status()).isEqualTo(200);
        assertThat(sim.bmc("hpe").state().slot("2").inserted()).isFalse();
        assertThat(c.post(cd + "/Actions/VirtualMedia.EjectMedia", Json.object()).status()).as("nothing to eject").isEqualTo(400);
        assertThat(c.post("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", reset("ForceOff")).json()
                .path("error").path("@Message.ExtendedInfo").path(0).path("MessageArgs").path(0).asText()).isEqualTo("Power is off");
        assertThat(c.get("/redfish/v1/Systems/1").json().path("Oem").path("Hpe").path("PostState").asText()).isEqualTo("PowerOff");
        assertThat(c.get("/redfish/v1/Managers/1").json().path("Oem").has("Hpe")).isTrue();
        assertThat(c.get("/redfish/v1/Systems/1/VirtualMedia").status()).isEqualTo(404);
    }

    @Test
    void hpeCompressesUnlessToldNotToAndCanRefuseIdentity() {
        Resp plain = client("hpe").header("Accept-Encoding", "identity").get("/redfish/v1/Systems/1");
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(client("hpe").get("/redfish/v1/Systems/1").header("Content-Encoding")).isEqualTo("gzip");
        sim.bmc("hpe").faults(FaultPlan.NONE.withRejectIdentityEncoding(true));
        try {
            assertThat(client("hpe").header("Accept-Encoding", "identity").get("/redfish/v1/Systems/1").status()).isEqualTo(406);
            assertThat(Http.to(sim.bmc("hpe").baseUri()).header("Accept-Encoding", "identity").get("/redfish/v1/").status()).isEqualTo(406);
            assertThat(client("hpe").header("Accept-Encoding", "gzip").get("/redfish/v1/Systems/1").status()).isEqualTo(200);
        } finally {
            sim.bmc("hpe").faults(FaultPlan.NONE);
        }
    }

    @Test
    void hpeRefusesBootChangesWhilePoweringOnAndDuringPost() {
        SimulatedBmc bmc = sim.bmc("hpe-slow");
        bmc.reset();
        Http c = client("hpe-slow");
        assertThat(c.patch("/redfish/v1/Systems/1", boot("Once", "Cd", "UEFI")).status()).as("fine while off").isEqualTo(200);
        assertThat(c.post("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", reset("On")).status()).isEqualTo(200);
        Resp powering = c.patch("/redfish/v1/Systems/1", boot("Once", "Cd", "UEFI"));
        assertThat(powering.status()).isEqualTo(400);
        assertThat(powering.messageId()).isEqualTo("iLO.2.16.UnableToModifyDuringSystemPOST");
        await().atMost(Duration.ofSeconds(3)).until(() -> bmc.state().power() == PowerState.ON);
        Resp post = c.patch("/redfish/v1/Systems/1", boot("Once", "Cd", "UEFI"));
        assertThat(post.status()).isEqualTo(400);
        assertThat(post.messageId()).isEqualTo("iLO.2.16.UnableToModifyDuringSystemPOST");
        Resp again = c.post("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", reset("On"));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.messageId()).isEqualTo("iLO.2.16.InvalidOperationForSystemState");
        assertThat(again.json().path("error").path("@Message.ExtendedInfo").path(0).path("MessageArgs").path(0).asText()).isEqualTo("Power is on");
        assertThat(c.get("/redfish/v1/Systems/1").json().path("Oem").path("Hpe").path("PostState").asText()).isEqualTo("InPost");
        await().atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(200))
                .until(() -> c.patch("/redfish/v1/Systems/1", boot("Once", "Cd", "UEFI")).status() == 200);
        assertThat(c.get("/redfish/v1/Systems/1").json().path("Oem").path("Hpe").path("PostState").asText()).isEqualTo("FinishedPost");
    }

    // ---- Supermicro ---------------------------------------------------------------------------------

    @Test
    void supermicroInsertRefusesFlagsAndQueryStrings() {
        sim.bmc("smc").reset();
        Http c = client("smc");
        String action = "/redfish/v1/Managers/1/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia";
        String url = images.add("/smc.iso", 100_000);
        Resp flags = c.post(action, Json.object().put("Image", url).put("Inserted", true).put("WriteProtected", true));
        assertThat(flags.status()).isEqualTo(400);
        assertThat(flags.messageId()).isEqualTo("Base.1.10.PropertyUnknown");
        assertThat(flags.message()).contains("Inserted");
        Resp query = c.post(action, Json.object().put("Image", url + "?sig=abc"));
        assertThat(query.status()).isEqualTo(400);
        assertThat(query.messageId()).isEqualTo("Base.1.10.ActionParameterValueFormatError");
        assertThat(c.post(action, Json.object().put("Image", url)).status()).isEqualTo(204);
        assertThat(sim.bmc("smc").state().slot("CD1").inserted()).isTrue();
    }

    @Test
    void supermicroBootsTheVirtualCdAsUsbCdAndWantsEnabledInEveryBootPatch() throws Exception {
        SimulatedBmc bmc = sim.bmc("smc");
        bmc.reset();
        Http c = client("smc");
        JsonNode allowed = c.get("/redfish/v1/Systems/1").json().path("Boot").path("BootSourceOverrideTarget@Redfish.AllowableValues");
        assertThat(allowed).extracting(JsonNode::asText).contains("UsbCd", "Cd");
        String url = images.add("/smc-boot.iso", 100_000);
        c.post("/redfish/v1/Managers/1/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url));
        assertThat(c.patch("/redfish/v1/Systems/1", boot("Once", "Cd", "UEFI")).status()).isEqualTo(204);
        int before = machine.boots("smc").size();
        c.post("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", reset("On"));
        assertThat(machine.awaitBoots("smc", before + 1, Duration.ofSeconds(5)).get(before).source())
                .as("Cd is the physical drive: the virtual CD is UsbCd").isEqualTo(BootSource.HDD);
        c.post("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", reset("ForceOff"));

        Resp noMode = c.patch("/redfish/v1/Systems/1", boot("Once", "UsbCd", null));
        assertThat(noMode.status()).isEqualTo(204);
        assertThat(bmc.state().boot().mode()).as("Mode not sent: reverted").isEqualTo("Legacy");
        Resp noEnabled = c.patch("/redfish/v1/Systems/1", boot(null, "UsbCd", "UEFI"));
        assertThat(noEnabled.status()).isEqualTo(400);
        assertThat(noEnabled.messageId()).isEqualTo("Base.1.10.PropertyMissing");
        assertThat(noEnabled.message()).contains("BootSourceOverrideEnabled");
        assertThat(c.patch("/redfish/v1/Systems/1", boot("Once", "UsbCd", "UEFI")).status()).isEqualTo(204);
        assertThat(bmc.state().boot().mode()).isEqualTo("UEFI");
        c.post("/redfish/v1/Systems/1/Actions/ComputerSystem.Reset", reset("On"));
        assertThat(machine.awaitBoots("smc", before + 2, Duration.ofSeconds(5)).get(before + 1).source()).isEqualTo(BootSource.CD);

        // eject: Redfish keeps showing the old image, NotConnected
        assertThat(c.post("/redfish/v1/Managers/1/VirtualMedia/CD1/Actions/VirtualMedia.EjectMedia", Json.object()).status()).isEqualTo(204);
        JsonNode slot = c.get("/redfish/v1/Managers/1/VirtualMedia/CD1").json();
        assertThat(slot.path("Image").asText()).isEqualTo(url);
        assertThat(slot.path("ImageName").asText()).isEqualTo("smc-boot.iso");
        assertThat(slot.path("Inserted").asBoolean()).isFalse();
        assertThat(slot.path("ConnectedVia").asText()).isEqualTo("NotConnected");
        assertThat(bmc.state().slot("CD1").image()).isNull();
    }

    // ---- Lenovo XCC ---------------------------------------------------------------------------------

    @Test
    void lenovoInsertsAndEjectsByPatch() {
        SimulatedBmc bmc = sim.bmc("lenovo");
        bmc.reset();
        Http c = client("lenovo");
        String slot = "/redfish/v1/Managers/1/VirtualMedia/EXT1";
        Resp get = c.get(slot);
        assertThat(get.header("Allow")).isEqualTo("GET, PATCH");
        assertThat(get.json().has("Actions")).isFalse();
        assertThat(c.post(slot + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", "http://x/y.iso")).status()).isEqualTo(404);
        String url = images.add("/lenovo.iso", 100_000);

        assertThat(c.patch(slot, Json.object().put("Image", url)).status()).isEqualTo(204);
        assertThat(bmc.state().slot("EXT1").image()).isEqualTo(url);
        assertThat(bmc.state().slot("EXT1").inserted()).as("no Inserted, nothing attached").isFalse();
        assertThat(images.hits("/lenovo.iso")).isEmpty();

        Resp ok = c.patch(slot, Json.object().put("Image", url).put("Inserted", true).put("WriteProtected", true), Map.of("If-Match", get.header("ETag")));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(412);
        String etag = c.get(slot).header("ETag");
        assertThat(c.patch(slot, Json.object().put("Image", url).put("Inserted", true).put("WriteProtected", true), Map.of("If-Match", etag)).status())
                .isEqualTo(204);
        assertThat(bmc.state().slot("EXT1").inserted()).isTrue();
        assertThat(images.hits("/lenovo.iso")).isNotEmpty();
        assertThat(c.patch(slot, Json.object().putNull("Image").put("Inserted", false)).status()).isEqualTo(204);
        assertThat(bmc.state().slot("EXT1").inserted()).isFalse();
        assertThat(bmc.state().slot("EXT1").image()).isNull();
        Resp rdoc = c.patch("/redfish/v1/Managers/1/VirtualMedia/RDOC1", Json.object().put("Image", url).put("Inserted", true));
        assertThat(rdoc.status()).isEqualTo(400);
        assertThat(rdoc.message()).contains("EXT");
    }

    // ---- AMI ----------------------------------------------------------------------------------------

    @Test
    void amiWantsTheWholeBootTripleAndATransferProtocol() {
        sim.bmc("ami").reset();
        Http c = client("ami");
        SimulatedBmc bmc = sim.bmc("ami");
        String sd = "/redfish/v1/Systems/Self/SD";
        assertThat(c.get("/redfish/v1/Systems/Self").json().path("@Redfish.Settings").path("SettingsObject").path("@odata.id").asText()).isEqualTo(sd);
        Resp onSystem = c.patch("/redfish/v1/Systems/Self", boot("Once", "Cd", "UEFI"));
        assertThat(onSystem.status()).isEqualTo(400);
        assertThat(onSystem.messageId()).isEqualTo("Ami.1.0.OperationSupportedInFutureStateURI");
        Resp noIfMatch = c.patch(sd, boot("Once", "Cd", "UEFI"));
        assertThat(noIfMatch.status()).isEqualTo(428);
        assertThat(noIfMatch.messageId()).isEqualTo("Base.1.12.PreconditionRequired");
        Resp partial = c.patch(sd, boot("Once", "Cd", null), Map.of("If-Match", "*"));
        assertThat(partial.status()).isEqualTo(400);
        assertThat(partial.messageId()).isEqualTo("Base.1.12.PropertyMissing");
        assertThat(partial.message()).contains("BootSourceOverrideMode");
        assertThat(c.patch(sd, boot(null, "Cd", "UEFI"), Map.of("If-Match", "*")).message()).contains("BootSourceOverrideEnabled");
        String etag = c.get(sd).header("ETag");
        assertThat(c.patch(sd, boot("Once", "Cd", "UEFI"), Map.of("If-Match", etag)).status()).isEqualTo(204);
        assertThat(bmc.state().pendingSettings()).containsEntry("BootSourceOverrideTarget", "Cd");
        assertThat(bmc.state().boot().enabled()).isEqualTo("Disabled");

        String action = "/redfish/v1/Managers/Self/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia";
        String url = images.add("/ami.iso", 100_000);
        Resp noProto = c.post(action, Json.object().put("Image", url));
        assertThat(noProto.status()).isEqualTo(400);
        assertThat(noProto.json()).isEqualTo(GenericBmcTest.fixture("transfer_proto_required_error3.json", "", ""));
        assertThat(c.post(action, Json.object().put("Image", url).put("TransferProtocolType", "HTTP")).status()).isEqualTo(204);
    }

    // ---- OpenBMC ------------------------------------------------------------------------------------

    @Test
    void openBmcReadsHttpsImagesOnlyAndSendsWeakOrEmptyEtags() {
        SimulatedBmc bmc = sim.bmc("openbmc");
        bmc.reset();
        Http c = client("openbmc");
        String action = "/redfish/v1/Managers/bmc/VirtualMedia/Slot_0/Actions/VirtualMedia.InsertMedia";
        String http = images.add("/obmc.iso", 100_000);
        Resp refused = c.post(action, Json.object().put("Image", http));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.messageId()).isEqualTo("Base.1.13.ResourceAtUriInUnknownFormat");
        assertThat(refused.message()).contains("https://", http);
        String https0 = tlsImages.add("/obmc0.iso", 100_000);
        assertThat(c.post(action, Json.object().put("Image", https0).put("TransferProtocolType", "HTTP")).messageId())
                .isEqualTo("Base.1.13.PropertyValueNotInList");
        assertThat(c.post(action, Json.object().put("Image", https0).put("TransferProtocolType", "CIFS")).messageId())
                .isEqualTo("Base.1.13.ActionParameterValueTypeError");
        assertThat(c.post(action, Json.object().put("Image", https0).put("Inserted", false)).messageId())
                .isEqualTo("Base.1.13.ActionParameterNotSupported");
        assertThat(c.post(action, Json.object().put("Image", https0).put("TransferMethod", "Upload")).messageId())
                .isEqualTo("Base.1.13.ActionParameterNotSupported");
        String https = tlsImages.add("/obmc.iso", 100_000);
        assertThat(c.post(action, Json.object().put("Image", https)).status()).isEqualTo(204);
        assertThat(tlsImages.hits("/obmc.iso")).extracting(ImageServer.Hit::range).contains("bytes=0-65535");
        assertThat(bmc.state().slot("Slot_0").image()).isEqualTo(https);

        Resp sys = c.get("/redfish/v1/Systems/system");
        String etag = sys.header("ETag");
        assertThat(etag).startsWith("W/\"");
        assertThat(c.get("/redfish/v1/Managers/bmc/VirtualMedia/Slot_0").header("ETag")).isEmpty();
        assertThat(c.patch("/redfish/v1/Systems/system", boot("Once", "Cd", "UEFI"), Map.of("If-Match", etag)).status()).isEqualTo(204);
        assertThat(c.patch("/redfish/v1/Systems/system", boot("Once", "Cd", "UEFI"), Map.of("If-Match", etag)).status()).isEqualTo(412);
    }

    // ---- Cisco CIMC ---------------------------------------------------------------------------------

    @Test
    void ciscoSlotsAreDvdOnlyAndTheKvmSlotRefusesInserts() throws Exception {
        SimulatedBmc bmc = sim.bmc("cisco");
        bmc.reset();
        Http c = client("cisco");
        String base = "/redfish/v1/Managers/CIMC/VirtualMedia/";
        assertThat(c.get(base + "0").json().path("MediaTypes")).extracting(JsonNode::asText).containsExactly("DVD");
        assertThat(c.get(base + "1").json().path("MediaTypes")).extracting(JsonNode::asText).containsExactly("DVD");
        String url = images.add("/cisco.iso", 100_000);
        assertThat(c.get(base + "2").json().path("MediaTypes")).extracting(JsonNode::asText).containsExactly("DVD");
        Resp kvm = c.post(base + "0/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url));
        assertThat(kvm.status()).isEqualTo(400);
        assertThat(kvm.messageId()).isEqualTo("Base.1.4.ActionNotSupported");
        Resp kvm2 = c.post(base + "1/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url));
        assertThat(kvm2.status()).isEqualTo(405);
        assertThat(kvm2.header("Allow")).isEqualTo("GET");
        assertThat(c.post(base + "2/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url)).status()).isEqualTo(204);
        c.patch("/redfish/v1/Systems/WZP23150UJV", boot("Once", "Cd", "UEFI"));
        int before = machine.boots("cisco").size();
        c.post("/redfish/v1/Systems/WZP23150UJV/Actions/ComputerSystem.Reset", reset("On"));
        var b = machine.awaitBoots("cisco", before + 1, Duration.ofSeconds(5)).get(before);
        assertThat(b.source()).as("a DVD slot counts as the CD").isEqualTo(BootSource.CD);
        assertThat(b.media()).containsEntry("2", url);
    }
}

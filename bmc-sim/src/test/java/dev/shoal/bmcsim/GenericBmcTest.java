package dev.shoal.bmcsim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.bmcsim.bmc.BmcState;
import dev.shoal.bmcsim.bmc.PowerState;
import dev.shoal.bmcsim.http.Json;
import dev.shoal.bmcsim.media.InsertRequirements;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.bmcsim.support.Http;
import dev.shoal.bmcsim.support.Http.Resp;
import dev.shoal.bmcsim.support.ImageServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The plain DMTF personality over real HTTP: shapes, auth, sessions, ETags, power, boot, virtual media. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GenericBmcTest {
    static final String SYS = "/redfish/v1/Systems/437XR1138R2";
    static final String MGR = "/redfish/v1/Managers/BMC";
    static final String CD = MGR + "/VirtualMedia/CD1";

    BmcSimulator sim;
    ImageServer images;
    SimulatedBmc bmc;
    SimulatedBmc slow;
    SimulatedBmc ladder;

    @BeforeAll
    void start() throws IOException {
        sim = BmcSimulator.start(SimulatorConfig.of(
                BmcSpec.of("generic", Personality.GENERIC),
                BmcSpec.of("slow", Personality.GENERIC).withPowerDelay(Duration.ofMillis(400)),
                BmcSpec.of("ladder", Personality.GENERIC).withInsertRequirements(InsertRequirements.ALL)));
        bmc = sim.bmc("generic");
        slow = sim.bmc("slow");
        ladder = sim.bmc("ladder");
        images = ImageServer.http();
    }

    @AfterAll
    void stop() {
        sim.close();
        images.close();
    }

    @BeforeEach
    void reset() {
        sim.bmcs().forEach(SimulatedBmc::reset);
    }

    Http client(SimulatedBmc b) {
        return Http.to(b.baseUri()).basic(b.credentials());
    }

    @Test
    void eachBmcHasItsOwnBaseUrlOn127001() {
        assertThat(sim.bmcs()).extracting(b -> b.baseUri().getHost()).containsOnly("127.0.0.1");
        assertThat(sim.bmcs()).extracting(b -> b.baseUri().getPort()).doesNotHaveDuplicates();
        assertThat(bmc.baseUri().getScheme()).isEqualTo("http");
        assertThat(bmc.credentials()).isEqualTo(new Credentials("admin", "password"));
    }

    @Test
    void serviceRootAndVersionsNeedNoAuthentication() {
        Resp root = Http.to(bmc.baseUri()).get("/redfish/v1/");
        assertThat(root.status()).isEqualTo(200);
        JsonNode r = root.json();
        assertThat(r.path("@odata.id").asText()).isEqualTo("/redfish/v1/");
        assertThat(r.path("Systems").path("@odata.id").asText()).isEqualTo("/redfish/v1/Systems");
        assertThat(r.path("Managers").path("@odata.id").asText()).isEqualTo("/redfish/v1/Managers");
        assertThat(r.path("SessionService").path("@odata.id").asText()).isEqualTo("/redfish/v1/SessionService");
        assertThat(r.path("Links").path("Sessions").path("@odata.id").asText()).isEqualTo("/redfish/v1/SessionService/Sessions");
        assertThat(r.path("UUID").asText()).matches("[0-9a-f-]{36}");
        assertThat(root.header("OData-Version")).isEqualTo("4.0");
        assertThat(Http.to(bmc.baseUri()).get("/redfish/v1").status()).isEqualTo(200);
        assertThat(Http.to(bmc.baseUri()).get("/redfish").json().path("v1").asText()).isEqualTo("/redfish/v1/");
        assertThat(Http.to(bmc.baseUri()).get("/redfish/v1/odata").json().path("value").size()).isGreaterThan(1);
    }

    @Test
    void everythingElseNeedsCredentialsAndAnswersDmtfErrors() {
        Resp none = Http.to(bmc.baseUri()).get("/redfish/v1/Systems");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.messageId()).isEqualTo("Base.1.12.NoValidSession");
        assertThat(none.json().path("error").path("code").asText()).isNotEmpty();
        assertThat(none.json().path("error").path("message").asText()).isNotEmpty();
        Resp wrong = Http.to(bmc.baseUri()).basic(new Credentials("admin", "nope")).get("/redfish/v1/Systems");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.messageId()).isEqualTo("Base.1.12.AccessDenied");
        Resp missing = client(bmc).get("/redfish/v1/Nothing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.messageId()).isEqualTo("Base.1.12.ResourceMissingAtURI");
        Resp method = client(bmc).delete(SYS);
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.header("Allow")).isEqualTo("GET, PATCH");
        Resp malformed = client(bmc).patch(SYS, "{not json");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.messageId()).isEqualTo("Base.1.12.MalformedJSON");
    }

    @Test
    void systemManagerAndChassisHaveRedfishShapes() {
        Http c = client(bmc);
        JsonNode systems = c.get("/redfish/v1/Systems").json();
        assertThat(systems.path("Members@odata.count").asInt()).isEqualTo(1);
        assertThat(systems.path("Members").path(0).path("@odata.id").asText()).isEqualTo(SYS);
        Resp sysResp = c.get(SYS);
        JsonNode sys = sysResp.json();
        assertThat(sys.path("Id").asText()).isEqualTo("437XR1138R2");
        assertThat(sys.path("PowerState").asText()).isEqualTo("Off");
        assertThat(sys.path("Manufacturer").asText()).isEqualTo("Contoso");
        assertThat(sys.path("Boot").path("BootSourceOverrideTarget@Redfish.AllowableValues")).extracting(JsonNode::asText)
                .contains("None", "Pxe", "Cd", "Hdd", "Usb");
        assertThat(sys.path("Actions").path("#ComputerSystem.Reset").path("target").asText()).isEqualTo(SYS + "/Actions/ComputerSystem.Reset");
        assertThat(sys.path("Actions").path("#ComputerSystem.Reset").path("ResetType@Redfish.AllowableValues")).extracting(JsonNode::asText)
                .contains("On", "ForceOff", "GracefulShutdown", "ForceRestart", "GracefulRestart", "PowerCycle", "Nmi");
        assertThat(sys.path("VirtualMedia").path("@odata.id").asText()).isEqualTo(SYS + "/VirtualMedia");
        assertThat(sys.path("Links").path("ManagedBy").path(0).path("@odata.id").asText()).isEqualTo(MGR);
        assertThat(sysResp.header("ETag")).matches("\"[0-9a-f]{16}\"");

        JsonNode managers = c.get("/redfish/v1/Managers").json();
        assertThat(managers.path("Members").path(0).path("@odata.id").asText()).isEqualTo(MGR);
        JsonNode mgr = c.get(MGR).json();
        assertThat(mgr.path("ServiceEntryPointUUID").isTextual()).isTrue();
        assertThat(mgr.path("ServiceEntryPointUUID").asText()).isEqualTo(Http.to(bmc.baseUri()).get("/redfish/v1/").json().path("UUID").asText());
        assertThat(mgr.path("VirtualMedia").path("@odata.id").asText()).isEqualTo(MGR + "/VirtualMedia");
        JsonNode chassis = c.get("/redfish/v1/Chassis").json();
        assertThat(c.get(chassis.path("Members").path(0).path("@odata.id").asText()).json().path("ChassisType").asText()).isEqualTo("RackMount");
        assertThat(c.get("/redfish/v1/SessionService").json().path("Sessions").path("@odata.id").asText())
                .isEqualTo("/redfish/v1/SessionService/Sessions");
    }

    @Test
    void sessionsAreCreatedUsedDeletedAndCounted() {
        Http anon = Http.to(bmc.baseUri());
        Resp login = anon.post("/redfish/v1/SessionService/Sessions", Json.object().put("UserName", "admin").put("Password", "password"));
        assertThat(login.status()).isEqualTo(201);
        String token = login.header("X-Auth-Token");
        String location = login.header("Location");
        assertThat(token).isNotBlank();
        assertThat(location).startsWith("/redfish/v1/SessionService/Sessions/");
        assertThat(login.json().path("UserName").asText()).isEqualTo("admin");
        assertThat(bmc.state().sessions()).isEqualTo(1);

        Http session = Http.to(bmc.baseUri()).token(token);
        assertThat(session.get(SYS).status()).isEqualTo(200);
        assertThat(session.get("/redfish/v1/SessionService/Sessions").json().path("Members").path(0).path("@odata.id").asText()).isEqualTo(location);
        assertThat(session.delete(location).status()).isEqualTo(204);
        assertThat(bmc.state().sessions()).isZero();
        Resp after = session.get(SYS);
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.messageId()).endsWith("NoValidSession");

        Resp bad = anon.post("/redfish/v1/SessionService/Sessions", Json.object().put("UserName", "admin").put("Password", "x"));
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bmc.state().sessions()).isZero();
        // the log never shows a password
        assertThat(bmc.state().requests("POST", "/Sessions")).allSatisfy(r -> assertThat(r.body()).doesNotContain("password").contains("******"));
    }

    @Test
    void etagChangesWithTheResourceAndIfMatchGuardsPatch() {
        Http c = client(bmc);
        String etag = c.get(SYS).header("ETag");
        JsonNode boot = Json.object().set("Boot", Json.object().put("BootSourceOverrideTarget", "Pxe").put("BootSourceOverrideEnabled", "Once"));
        Resp stale = c.patch(SYS, boot, Map.of("If-Match", "\"0000000000000000\""));
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.messageId()).isEqualTo("Base.1.12.PreconditionFailed");
        Resp weak = c.patch(SYS, boot, Map.of("If-Match", "W/" + etag));
        assertThat(weak.status()).as("strong comparison: a weak tag never matches").isEqualTo(412);
        assertThat(c.patch(SYS, boot, Map.of("If-Match", etag)).status()).isEqualTo(204);
        String next = c.get(SYS).header("ETag");
        assertThat(next).isNotEqualTo(etag);
        assertThat(c.patch(SYS, boot, Map.of("If-Match", etag)).status()).as("the old tag is stale now").isEqualTo(412);
        assertThat(c.patch(SYS, boot, Map.of("If-Match", "*")).status()).isEqualTo(204);
        assertThat(c.patch(SYS, boot).status()).isEqualTo(204);
        assertThat(c.get(CD).header("ETag")).matches("\"[0-9a-f]{16}\"");
    }

    @Test
    void powerChangesAfterTheDelayShowingTransitionalStates() {
        Http c = client(slow);
        assertThat(c.post(SYS + "/Actions/ComputerSystem.Reset", Json.object().put("ResetType", "On")).status()).isEqualTo(204);
        assertThat(c.get(SYS).json().path("PowerState").asText()).isEqualTo("PoweringOn");
        assertThat(slow.state().power()).isEqualTo(PowerState.POWERING_ON);
        await().atMost(Duration.ofSeconds(3)).until(() -> c.get(SYS).json().path("PowerState").asText().equals("On"));
        assertThat(c.post(SYS + "/Actions/ComputerSystem.Reset", Json.object().put("ResetType", "On")).status())
                .as("a reset to the current state is accepted").isEqualTo(204);
        assertThat(c.post(SYS + "/Actions/ComputerSystem.Reset", Json.object().put("ResetType", "ForceOff")).status()).isEqualTo(204);
        assertThat(c.get(SYS).json().path("PowerState").asText()).isEqualTo("PoweringOff");
        await().atMost(Duration.ofSeconds(3)).until(() -> slow.state().power() == PowerState.OFF);
        assertThat(c.post(SYS + "/Actions/ComputerSystem.Reset", Json.object().put("ResetType", "Nmi")).status()).isEqualTo(204);
        assertThat(slow.state().power()).isEqualTo(PowerState.OFF);
    }

    @Test
    void resetValidatesItsParameter() {
        Http c = client(bmc);
        Resp missing = c.post(SYS + "/Actions/ComputerSystem.Reset", Json.object());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.messageId()).isEqualTo("Base.1.12.ActionParameterMissing");
        Resp bad = c.post(SYS + "/Actions/ComputerSystem.Reset", Json.object().put("ResetType", "Explode"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.messageId()).isEqualTo("Base.1.12.ActionParameterValueNotInList");
        assertThat(bad.message()).contains("Explode", "ResetType");
        assertThat(c.get(SYS + "/Actions/ComputerSystem.Reset").status()).isEqualTo(405);
    }

    @Test
    void bootOverrideIsValidatedAndStored() {
        Http c = client(bmc);
        Resp ok = c.patch(SYS, Json.object().set("Boot", Json.object().put("BootSourceOverrideTarget", "Cd")
                .put("BootSourceOverrideEnabled", "Continuous").put("BootSourceOverrideMode", "Legacy")));
        assertThat(ok.status()).isEqualTo(204);
        assertThat(bmc.state().boot()).isEqualTo(new dev.shoal.bmcsim.bmc.BootOverride("Continuous", "Cd", "Legacy"));
        JsonNode b = c.get(SYS).json().path("Boot");
        assertThat(b.path("BootSourceOverrideTarget").asText()).isEqualTo("Cd");

        Resp target = c.patch(SYS, Json.object().set("Boot", Json.object().put("BootSourceOverrideTarget", "Floppyx")));
        assertThat(target.status()).isEqualTo(400);
        assertThat(target.messageId()).isEqualTo("Base.1.12.PropertyValueNotInList");
        assertThat(target.message()).contains("BootSourceOverrideTarget", "Floppyx");
        Resp enabled = c.patch(SYS, Json.object().set("Boot", Json.object().put("BootSourceOverrideEnabled", "Twice")));
        assertThat(enabled.status()).isEqualTo(400);
        assertThat(enabled.message()).contains("BootSourceOverrideEnabled");
        Resp mode = c.patch(SYS, Json.object().set("Boot", Json.object().put("BootSourceOverrideMode", "BIOS")));
        assertThat(mode.message()).contains("BootSourceOverrideMode");
        Resp unknown = c.patch(SYS, Json.object().set("Boot", Json.object().put("BootSourceOverrideColour", "Red")));
        assertThat(unknown.messageId()).isEqualTo("Base.1.12.PropertyUnknown");
        Resp readOnly = c.patch(SYS, Json.object().put("PowerState", "On"));
        assertThat(readOnly.messageId()).isEqualTo("Base.1.12.PropertyNotWritable");
        assertThat(bmc.state().boot().target()).as("failed PATCHes change nothing").isEqualTo("Cd");
    }

    @Test
    void virtualMediaLivesUnderManagerAndSystem() {
        Http c = client(bmc);
        for (String parent : List.of(MGR, SYS)) {
            JsonNode coll = c.get(parent + "/VirtualMedia").json();
            assertThat(coll.path("Members")).extracting(n -> n.path("@odata.id").asText())
                    .containsExactly(parent + "/VirtualMedia/CD1", parent + "/VirtualMedia/Floppy1");
        }
        Resp slot = c.get(CD);
        JsonNode s = slot.json();
        assertThat(s.path("MediaTypes")).extracting(JsonNode::asText).containsExactly("CD", "DVD");
        assertThat(s.path("Inserted").asBoolean()).isFalse();
        assertThat(s.path("Image").isNull()).isTrue();
        assertThat(s.path("ConnectedVia").asText()).isEqualTo("NotConnected");
        assertThat(s.path("Actions").path("#VirtualMedia.InsertMedia").path("target").asText()).isEqualTo(CD + "/Actions/VirtualMedia.InsertMedia");
        assertThat(s.path("Actions").path("#VirtualMedia.EjectMedia").path("target").asText()).isEqualTo(CD + "/Actions/VirtualMedia.EjectMedia");
        assertThat(slot.header("Allow")).isEqualTo("GET, PATCH");
        assertThat(c.get(MGR + "/VirtualMedia/Floppy1").json().path("MediaTypes")).extracting(JsonNode::asText).containsExactly("Floppy", "USBStick");
    }

    @Test
    void insertMediaReadsTheImageByRangesAndEjectClearsIt() {
        String url = images.add("/isos/big.iso", 3 * 1024 * 1024);
        Http c = client(bmc);
        Resp insert = c.post(CD + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url));
        assertThat(insert.status()).as(insert.toString()).isEqualTo(204);

        // in any order: the image server records a hit when its answer is done, and the probe may already have read
        // that answer and sent the next request by then
        assertThat(images.hits("/isos/big.iso")).extracting(ImageServer.Hit::range)
                .containsExactlyInAnyOrder("bytes=0-65535", "bytes=32768-34815", "bytes=3143680-3145727");
        assertThat(images.hits("/isos/big.iso")).extracting(ImageServer.Hit::status).containsOnly(206);
        assertThat(images.bytesServed("/isos/big.iso")).isLessThan(100_000);

        BmcState st = bmc.state();
        assertThat(st.slot("CD1").image()).isEqualTo(url);
        assertThat(st.slot("CD1").inserted()).isTrue();
        assertThat(st.slot("CD1").writeProtected()).isTrue();
        assertThat(st.slot("CD1").connectedVia()).isEqualTo("URI");
        assertThat(st.slot("CD1").ranges()).hasSize(3);
        JsonNode s = c.get(SYS + "/VirtualMedia/CD1").json();
        assertThat(s.path("Image").asText()).isEqualTo(url);
        assertThat(s.path("ImageName").asText()).isEqualTo("big.iso");
        assertThat(s.path("Inserted").asBoolean()).isTrue();
        assertThat(s.path("@odata.id").asText()).isEqualTo(SYS + "/VirtualMedia/CD1");

        Resp again = c.post(CD + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url));
        assertThat(again.status()).as("a full slot refuses a second image").isEqualTo(409);
        assertThat(again.messageId()).isEqualTo("Base.1.12.ResourceInUse");

        assertThat(c.post(CD + "/Actions/VirtualMedia.EjectMedia", null).status()).isEqualTo(204);
        assertThat(bmc.state().slot("CD1").image()).isNull();
        assertThat(bmc.state().slot("CD1").inserted()).isFalse();
        assertThat(c.get(CD).json().path("Inserted").asBoolean()).isFalse();
        assertThat(c.post(CD + "/Actions/VirtualMedia.EjectMedia", Json.object()).status()).as("eject of an empty slot is fine").isEqualTo(204);
    }

    @Test
    void smallImagesAndServersWithoutRangeSupportAreReadOnlyOnce() {
        String url = images.add("/small.img", 10_000);
        Resp insert = client(bmc).post(MGR + "/VirtualMedia/Floppy1/Actions/VirtualMedia.InsertMedia",
                Json.object().put("Image", url).put("WriteProtected", false));
        assertThat(insert.status()).isEqualTo(204);
        assertThat(images.hits("/small.img")).extracting(ImageServer.Hit::range).containsExactly("bytes=0-65535");
        assertThat(bmc.state().slot("Floppy1").writeProtected()).isFalse();
    }

    @Test
    void insertFailsWhenTheImageIsMissingOrTheHostIsDown() throws IOException {
        String missing = images.url("/nope.iso");
        Resp notFound = client(bmc).post(CD + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", missing));
        assertThat(notFound.status()).isEqualTo(400);
        assertThat(notFound.messageId()).isEqualTo("Base.1.12.CouldNotEstablishConnection");
        assertThat(notFound.message()).contains(missing, "404");
        assertThat(bmc.state().slot("CD1").inserted()).isFalse();

        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String down = "http://127.0.0.1:" + closedPort + "/x.iso";
        Resp refused = client(bmc).post(CD + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", down));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.message()).contains(down, "connection refused");
        Resp nfs = client(bmc).post(CD + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", "nfs://host/x.iso"));
        assertThat(nfs.status()).isEqualTo(400);
        assertThat(nfs.message()).contains("nfs://host/x.iso");
        assertThat(bmc.state().slot("CD1").image()).isNull();
    }

    @Test
    void insertValidatesParameters() {
        Http c = client(bmc);
        Resp noImage = c.post(CD + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Inserted", true));
        assertThat(noImage.status()).isEqualTo(400);
        assertThat(noImage.messageId()).isEqualTo("Base.1.12.ActionParameterMissing");
        Resp unknown = c.post(CD + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", images.add("/a.iso", 100)).put("Colour", "red"));
        assertThat(unknown.messageId()).isEqualTo("Base.1.12.ActionParameterUnknown");
        Resp proto = c.post(CD + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", images.url("/a.iso")).put("TransferProtocolType", "Pigeon"));
        assertThat(proto.messageId()).isEqualTo("Base.1.12.ActionParameterValueNotInList");
    }

    @Test
    void patchInsertionAndEjectionWorkOnGenericSlots() {
        String url = images.add("/p.iso", 70_000);
        Http c = client(bmc);
        assertThat(c.patch(CD, Json.object().put("Image", url).put("Inserted", true)).status()).isEqualTo(204);
        assertThat(bmc.state().slot("CD1").inserted()).isTrue();
        assertThat(c.patch(CD, Json.object().putNull("Image").put("Inserted", false)).status()).isEqualTo(204);
        assertThat(bmc.state().slot("CD1").image()).isNull();
    }

    @Test
    void theFieldLadderAnswersTheRealBmcErrorsRungByRung() {
        String url = images.add("/ladder.iso", 70_000);
        String action = MGR + "/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia";
        Http c = client(ladder);
        var body = Json.object().put("Image", url);
        Resp r1 = c.post(action, body);
        assertThat(r1.status()).isEqualTo(400);
        assertThat(r1.messageId()).isEqualTo("Base.1.12.ActionParameterMissing");
        assertThat(r1.message()).contains("Inserted");

        body.put("Inserted", true).put("WriteProtected", true);
        Resp r2 = c.post(action, body);
        assertThat(r2.status()).isEqualTo(400);
        assertThat(r2.json()).isEqualTo(fixture("transfer_proto_required_error.json", "/redfish/v1/Managers/Self/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia", action));

        body.put("TransferProtocolType", "HTTP");
        Resp r3 = c.post(action, body);
        assertThat(r3.json()).isEqualTo(fixture("transfer_method_required_error.json", "", ""));

        body.put("TransferMethod", "Stream");
        Resp r4 = c.post(action, body);
        assertThat(r4.json()).isEqualTo(fixture("credentials_required_error.json", "/redfish/v1/Managers/BMC/VirtualMedia/CD1/Actions/VirtualMedia.InsertMedia", action));

        body.put("UserName", "").put("Password", "");
        Resp r5 = c.post(action, body);
        assertThat(r5.status()).as(r5.toString()).isEqualTo(204);
        assertThat(ladder.state().slot("CD1").transferProtocolType()).isEqualTo("HTTP");
        assertThat(ladder.state().slot("CD1").transferMethod()).isEqualTo("Stream");
        assertThat(ladder.state().slot("CD1").userName()).isEmpty();
    }

    static JsonNode fixture(String name, String from, String to) {
        try {
            String text = java.nio.file.Files.readString(java.nio.file.Path.of("/work/shared/fixtures/redfish-samples", name));
            if (!from.isEmpty()) {
                text = text.replace(from, to);
            }
            return Http.json(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package dev.shoal.bmcsim;

import dev.shoal.bmcsim.bmc.PowerState;
import dev.shoal.bmcsim.faults.FaultPlan;
import dev.shoal.bmcsim.http.Json;
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
import java.net.ConnectException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every fault of a FaultPlan, set from code and through the admin endpoint. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultsTest {
    static final String SYS = "/redfish/v1/Systems/437XR1138R2";
    static final String CD = "/redfish/v1/Managers/BMC/VirtualMedia/CD1";

    BmcSimulator sim;
    SimulatedBmc bmc;
    ImageServer images;

    @BeforeAll
    void start() throws IOException {
        sim = BmcSimulator.start(SimulatorConfig.of(BmcSpec.of("f", Personality.GENERIC)));
        bmc = sim.bmc("f");
        images = ImageServer.http();
    }

    @AfterAll
    void stop() {
        sim.close();
        images.close();
    }

    @BeforeEach
    void clean() {
        bmc.faults(FaultPlan.NONE);
        bmc.reset();
    }

    Http client() {
        return Http.to(bmc.baseUri()).basic(bmc.credentials());
    }

    @Test
    void latencyDelaysEveryAnswer() {
        bmc.faults(FaultPlan.NONE.withLatency(Duration.ofMillis(300)));
        long t0 = System.nanoTime();
        assertThat(Http.to(bmc.baseUri()).get("/redfish/v1/").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aBurstOfServerErrorsHitsOnlyMatchingPathsAndRunsOut() {
        bmc.faults(FaultPlan.NONE.withErrors(2, 503, "/VirtualMedia"));
        Http c = client();
        assertThat(c.get(SYS).status()).isEqualTo(200);
        Resp first = c.get(CD);
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.header("Retry-After")).isEqualTo("1");
        assertThat(first.messageId()).isEqualTo("Base.1.12.ServiceTemporarilyUnavailable");
        assertThat(bmc.faults().errorCount()).isEqualTo(1);
        assertThat(c.get(CD).status()).isEqualTo(503);
        assertThat(c.get(CD).status()).isEqualTo(200);

        bmc.faults(FaultPlan.NONE.withErrors(1, 500));
        Resp root = Http.to(bmc.baseUri()).get("/redfish/v1/");
        assertThat(root.status()).isEqualTo(500);
        assertThat(root.messageId()).isEqualTo("Base.1.12.InternalError");
        assertThat(Http.to(bmc.baseUri()).get("/redfish/v1/").status()).isEqualTo(200);
    }

    @Test
    void expiredSessionsAnswer401AndANewLoginWorks() {
        Http anon = Http.to(bmc.baseUri());
        String token = anon.post("/redfish/v1/SessionService/Sessions", Json.object().put("UserName", "admin").put("Password", "password"))
                .header("X-Auth-Token");
        assertThat(Http.to(bmc.baseUri()).token(token).get(SYS).status()).isEqualTo(200);
        Resp set = Http.to(sim.adminUri()).post("/bmcs/f/faults", Json.object().put("expireSessions", true));
        assertThat(set.status()).isEqualTo(200);
        assertThat(bmc.state().sessions()).isZero();
        Resp old = Http.to(bmc.baseUri()).token(token).get(SYS);
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.messageId()).endsWith("NoValidSession");
        String fresh = anon.post("/redfish/v1/SessionService/Sessions", Json.object().put("UserName", "admin").put("Password", "password"))
                .header("X-Auth-Token");
        assertThat(Http.to(bmc.baseUri()).token(fresh).get(SYS).status()).as("a plan keeps sessions made after it").isEqualTo(200);
    }

    @Test
    void droppedConnectionsGetNoAnswer() {
        bmc.faults(FaultPlan.NONE.withDroppedConnections(1));
        IOException e = client().failure("POST", SYS + "/Actions/ComputerSystem.Reset");
        assertThat(e).isNotNull();
        assertThat(bmc.faults().dropConnections()).isZero();
        assertThat(bmc.state().requests()).last().satisfies(r -> assertThat(r.status()).isZero());
        assertThat(client().get(SYS).status()).isEqualTo(200);
    }

    @Test
    void staleInsertedLingersAfterEject() {
        String url = images.add("/s.iso", 70_000);
        Http c = client();
        assertThat(c.post(CD + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url)).status()).isEqualTo(204);
        bmc.faults(FaultPlan.NONE.withStaleInserted(Duration.ofMillis(700)));
        assertThat(c.post(CD + "/Actions/VirtualMedia.EjectMedia", Json.object()).status()).isEqualTo(204);
        var slot = c.get(CD).json();
        assertThat(slot.path("Inserted").asBoolean()).as("stale").isTrue();
        assertThat(slot.path("Image").isNull()).isTrue();
        assertThat(bmc.state().slot("CD1").inserted()).as("the state tells the truth").isFalse();
        await().atMost(Duration.ofSeconds(3)).until(() -> !c.get(CD).json().path("Inserted").asBoolean());
    }

    @Test
    void slowPowerTransitionsOverrideThePowerDelay() {
        bmc.faults(FaultPlan.NONE.withPowerDelay(Duration.ofMillis(500)));
        Http c = client();
        c.post(SYS + "/Actions/ComputerSystem.Reset", Json.object().put("ResetType", "On"));
        assertThat(bmc.state().power()).isEqualTo(PowerState.POWERING_ON);
        await().atMost(Duration.ofSeconds(3)).until(() -> bmc.state().power() == PowerState.ON);
    }

    @Test
    void aDownBmcRefusesConnectionsUntilItIsUpAgainAtTheSameAddress() {
        var before = bmc.baseUri();
        Resp set = Http.to(sim.adminUri()).post("/bmcs/f/faults", Json.object().put("down", true));
        assertThat(set.json().path("down").asBoolean()).isTrue();
        IOException e = Http.to(bmc.baseUri()).failure("GET", "/redfish/v1/");
        assertThat(e).isInstanceOf(ConnectException.class);
        assertThat(bmc.state().up()).isFalse();
        assertThat(Http.to(sim.adminUri()).get("/bmcs").json().path("bmcs").path(0).path("up").asBoolean()).isFalse();
        Http.to(sim.adminUri()).post("/bmcs/f/faults", Json.object().put("down", false));
        assertThat(bmc.baseUri()).isEqualTo(before);
        assertThat(Http.to(bmc.baseUri()).get("/redfish/v1/").status()).isEqualTo(200);
        assertThat(bmc.state().up()).isTrue();
    }

    @Test
    void theSessionPoolIsFinite() {
        bmc.faults(FaultPlan.NONE.withMaxSessions(1));
        Http anon = Http.to(bmc.baseUri());
        var login = Json.object().put("UserName", "admin").put("Password", "password");
        Resp first = anon.post("/redfish/v1/SessionService/Sessions", login);
        assertThat(first.status()).isEqualTo(201);
        Resp second = anon.post("/redfish/v1/SessionService/Sessions", login);
        assertThat(second.status()).isEqualTo(503);
        assertThat(second.messageId()).isEqualTo("Base.1.12.SessionLimitExceeded");
        Http.to(bmc.baseUri()).token(first.header("X-Auth-Token")).delete(first.header("Location"));
        assertThat(anon.post("/redfish/v1/SessionService/Sessions", login).status()).isEqualTo(201);
        bmc.faults(FaultPlan.NONE.withExpireSessions(true));
    }

    @Test
    void aManagerResetTakesTheBmcOffTheNetworkForAWhile() {
        bmc.faults(FaultPlan.NONE.withBmcResetDowntime(Duration.ofMillis(800)));
        Http anon = Http.to(bmc.baseUri());
        String token = anon.post("/redfish/v1/SessionService/Sessions", Json.object().put("UserName", "admin").put("Password", "password"))
                .header("X-Auth-Token");
        assertThat(client().post("/redfish/v1/Managers/BMC/Actions/Manager.Reset", Json.object().put("ResetType", "GracefulRestart")).status())
                .isEqualTo(204);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> !bmc.state().up());
        assertThat(Http.to(bmc.baseUri()).failure("GET", "/redfish/v1/")).isInstanceOf(ConnectException.class);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> bmc.state().up());
        assertThat(Http.to(bmc.baseUri()).get("/redfish/v1/").status()).isEqualTo(200);
        assertThat(Http.to(bmc.baseUri()).token(token).get(SYS).status()).as("a rebooted BMC forgets its sessions").isEqualTo(401);
    }

    @Test
    void identityEncodingCanBeRefused() {
        bmc.faults(FaultPlan.NONE.withRejectIdentityEncoding(true));
        assertThat(client().header("Accept-Encoding", "identity").get(SYS).status()).isEqualTo(406);
        assertThat(client().get(SYS).status()).isEqualTo(200);
    }

    @Test
    void notReadyAnswersTheNextGets() {
        bmc.faults(FaultPlan.NONE.withNotReady(1));
        Resp r = client().get(SYS);
        assertThat(r.status()).isEqualTo(503);
        assertThat(client().get(SYS).status()).isEqualTo(200);
    }
}

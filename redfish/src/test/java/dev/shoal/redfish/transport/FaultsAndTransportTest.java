package dev.shoal.redfish.transport;

import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.SimulatorConfig;
import dev.shoal.bmcsim.bmc.RequestRecord;
import dev.shoal.bmcsim.faults.FaultPlan;
import dev.shoal.bmcsim.media.ImageServer;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.redfish.BmcClient;
import dev.shoal.redfish.BmcEndpoint;
import dev.shoal.redfish.SimBmc;
import dev.shoal.redfish.boot.BootOverride;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each simulator fault against our transport: ridden out when transient, a clear error when not. */
class FaultsAndTransportTest {
    static ImageServer images;
    static URI maint;
    static URI task;

    @BeforeAll
    static void images() throws Exception {
        images = ImageServer.http();
        maint = images.uri("maint.iso");
        task = images.uri("task.iso");
    }

    @AfterAll
    static void stop() {
        images.close();
    }

    static SimBmc generic(FaultPlan faults) {
        return new SimBmc(BmcSpec.of("bmc", Personality.GENERIC).withFaults(faults));
    }

    @Test
    void aBurstOf5xxIsRetried() {
        try (SimBmc sim = generic(FaultPlan.NONE.withErrors(3, 503)); BmcClient c = sim.client()) {
            assertThat(c.inventory().slots()).isNotEmpty();
            assertThat(sim.bmc.faults().errorCount()).as("all three 503s were served").isZero();
        }
    }

    @Test
    void droppedConnectionsAreRetried() {
        try (SimBmc sim = generic(FaultPlan.NONE.withDroppedConnections(2)); BmcClient c = sim.client()) {
            assertThat(c.inventory().systemPath()).isNotBlank();
            assertThat(sim.bmc.faults().dropConnections()).isZero();
        }
    }

    @Test
    void latencyOnlySlowsThingsDown() {
        try (SimBmc sim = generic(FaultPlan.NONE.withLatency(Duration.ofMillis(40))); BmcClient c = sim.client()) {
            c.virtualMedia(sim.recorder()).bootFromIsos(maint, Optional.of(task));
            assertThat(sim.bmc.state().media()).anySatisfy(m -> assertThat(m.image()).isEqualTo(maint.toString()));
        }
    }

    @Test
    void slowPowerTransitionsAreWaitedFor() {
        try (SimBmc sim = generic(FaultPlan.NONE.withPowerDelay(Duration.ofMillis(1500))); BmcClient c = sim.client()) {
            var power = c.virtualMedia(sim.recorder()).power();
            power.on();
            assertThat(power.state()).isEqualTo("On");
        }
    }

    @Test
    void aPowerChangeThatNeverHappensTimesOutClearly() {
        try (SimBmc sim = generic(FaultPlan.NONE.withPowerDelay(Duration.ofSeconds(30)));
             BmcClient c = BmcClient.connect(endpoint(sim), SimBmc.settings(), Duration.ofSeconds(1), Duration.ofMillis(100))) {
            assertThatThrownBy(() -> c.virtualMedia(sim.recorder()).power().on())
                    .hasMessageContaining("still reports PowerState").hasMessageContaining("asking for On");
        }
    }

    @Test
    void staleInsertedAfterEjectDoesNotConfuseTheSequence() {
        try (SimBmc sim = generic(FaultPlan.NONE.withStaleInserted(Duration.ofSeconds(2))); BmcClient c = sim.client()) {
            var vm = c.virtualMedia(sim.recorder());
            var used = vm.bootFromIsos(maint, Optional.of(task));
            vm.finish(List.of(used.maintenance(), used.task().orElseThrow()));
            vm.bootFromIsos(task, Optional.of(maint)); // ejects again while Inserted still says true
            assertThat(sim.bmc.state().media()).anySatisfy(m -> assertThat(m.image()).isEqualTo(task.toString()));
        }
    }

    @Test
    void expiredSessionsLogInAgainOnce() {
        try (SimBmc sim = generic(FaultPlan.NONE); BmcClient c = sim.client()) {
            c.inventory();
            assertThat(c.transport().usingSession()).isTrue();
            sim.bmc.faults(FaultPlan.NONE.withExpireSessions(true));
            assertThat(c.rediscover().systemPath()).isNotBlank();
            List<RequestRecord> logins = sim.bmc.state().requests("POST", "/SessionService/Sessions");
            assertThat(logins).hasSize(2);
        }
    }

    @Test
    void sessionsAreDeletedWhenDone() {
        try (SimBmc sim = generic(FaultPlan.NONE)) {
            try (BmcClient c = sim.client()) {
                c.inventory();
                assertThat(sim.bmc.state().sessions()).isEqualTo(1);
            }
            assertThat(sim.bmc.state().sessions()).as("no session left behind").isZero();
        }
    }

    @Test
    void aBmcOutOfSessionSlotsIsStillDrivenWithBasicAuth() {
        try (SimBmc sim = generic(FaultPlan.NONE.withMaxSessions(1)); BmcClient first = sim.client(); BmcClient second = sim.client()) {
            first.inventory();
            assertThat(first.transport().usingSession()).isTrue();
            assertThat(second.inventory().slots()).as("503 SessionLimitExceeded, then Basic").isNotEmpty();
            assertThat(second.transport().usingSession()).isFalse();
            assertThat(sim.bmc.state().requests("POST", "/SessionService/Sessions")).anySatisfy(r -> assertThat(r.status()).isEqualTo(503));
        }
    }

    @Test
    void aWrongPasswordFailsQuotingTheBmc() {
        try (SimBmc sim = generic(FaultPlan.NONE);
             BmcClient c = BmcClient.connect(new BmcEndpoint(sim.bmc.baseUri(), new Credentials("admin", "wrong"),
                     TlsPolicy.VERIFY, Optional.empty(), Optional.empty()), SimBmc.settings())) {
            assertThatThrownBy(c::inventory).isInstanceOf(RedfishException.class)
                    .hasMessageContaining("logging in").hasMessageContaining("HTTP 401");
        }
    }

    @Test
    void aBmcThatIsDownFailsAfterTheRetries() {
        try (SimBmc sim = generic(FaultPlan.NONE.withDown(true));
             BmcClient c = sim.client(Optional.empty(), TlsPolicy.VERIFY, SimBmc.settings().withRetries(2))) {
            assertThatThrownBy(c::inventory).isInstanceOf(RedfishException.class)
                    .hasMessageContaining("failed after 3 attempts").hasMessageContaining("ConnectException");
        }
    }

    @Test
    void a406ToAcceptEncodingIdentityMakesTheTransportDropIt() {
        try (SimBmc sim = generic(FaultPlan.NONE.withRejectIdentityEncoding(true)); BmcClient c = sim.client()) {
            assertThat(c.inventory().systemPath()).isNotBlank();
            assertThat(sim.bmc.state().requests().stream().filter(r -> r.status() == 406).count()).isEqualTo(1);
        }
    }

    @Test
    void aPatchWhoseWeakEtagIsRefusedIsRetriedWithTheStrongForm() {
        try (SimBmc sim = generic(FaultPlan.NONE); BmcClient c = sim.client()) {
            String system = c.inventory().systemPath();
            String etag = c.transport().get(system).etag().orElseThrow();
            c.transport().patch(system, boot("Cd"), Optional.of("W/" + etag));
            List<RequestRecord> patches = sim.bmc.state().requests("PATCH", system);
            assertThat(patches).extracting(RequestRecord::status).first().isEqualTo(412);
            assertThat(patches).hasSize(2);
            assertThat(patches.getLast().status()).isBetween(200, 299);
            assertThat(sim.bmc.state().boot().target()).isEqualTo("Cd");
        }
    }

    @Test
    void aPatchWithAStaleEtagIsRetriedWithoutIfMatch() {
        try (SimBmc sim = generic(FaultPlan.NONE); BmcClient c = sim.client()) {
            String system = c.inventory().systemPath();
            Optional<String> stale = c.transport().get(system).etag();
            c.transport().patch(system, boot("Pxe"), Optional.empty()); // the resource changes behind our back
            c.transport().patch(system, boot("Cd"), stale);
            List<RequestRecord> patches = sim.bmc.state().requests("PATCH", system);
            assertThat(patches).extracting(RequestRecord::status).contains(412);
            assertThat(patches.getLast().status()).isBetween(200, 299);
            assertThat(sim.bmc.state().boot().target()).isEqualTo("Cd");
        }
    }

    @Test
    void openBmcsWeakAndEmptyEtagsDoNotStopAPatch() {
        try (SimBmc sim = new SimBmc(BmcSpec.of("bmc", Personality.OPENBMC)); BmcClient c = sim.client()) {
            new BootOverride(c.transport(), c.inventory(), sim.recorder()).set("Cd", "Once", "UEFI");
            assertThat(sim.bmc.state().boot().target()).isEqualTo("Cd");
        }
    }

    static com.fasterxml.jackson.databind.node.ObjectNode boot(String target) {
        var o = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode();
        o.putObject("Boot").put("BootSourceOverrideEnabled", "Once").put("BootSourceOverrideTarget", target);
        return o;
    }

    @Test
    void tlsIsVerifiedByDefaultAndCanBePinnedOrSkippedPerBmc() throws Exception {
        try (SimBmc sim = new SimBmc(SimulatorConfig.of(BmcSpec.of("bmc", Personality.GENERIC)).withTls(true))) {
            try (BmcClient c = sim.client(Optional.empty(), TlsPolicy.VERIFY, SimBmc.settings().withRetries(0))) {
                assertThatThrownBy(c::inventory).isInstanceOf(RedfishException.class).hasMessageContaining("SSL");
            }
            try (BmcClient c = sim.client(Optional.empty(), TlsPolicy.INSECURE, SimBmc.settings())) {
                assertThat(c.inventory().slots()).isNotEmpty();
            }
            byte[] der = sim.sim.certificate().orElseThrow().getEncoded();
            String pin = HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
            try (BmcClient c = sim.client(Optional.empty(), TlsPolicy.pinned(pin), SimBmc.settings())) {
                assertThat(c.inventory().slots()).isNotEmpty();
            }
            String wrong = "00".repeat(32);
            try (BmcClient c = sim.client(Optional.empty(), TlsPolicy.pinned(wrong), SimBmc.settings().withRetries(0))) {
                assertThatThrownBy(c::inventory).isInstanceOf(RedfishException.class);
            }
        }
    }

    @Test
    void oneBmcGetsNoMoreRequestsAtOnceThanItsLimit() throws Exception {
        try (SimBmc sim = generic(FaultPlan.NONE.withLatency(Duration.ofMillis(200)));
             BmcClient c = BmcClient.connect(endpoint(sim), new RedfishSettings(Duration.ofSeconds(10), 0, Duration.ofMillis(100),
                     Duration.ofSeconds(1), 1, RedfishSettings.AuthMode.BASIC))) {
            long t0 = System.nanoTime();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                var calls = new java.util.ArrayList<java.util.concurrent.Future<?>>();
                for (int i = 0; i < 4; i++) {
                    calls.add(pool.submit(() -> c.transport().get("/redfish/v1/Systems")));
                }
                for (var f : calls) {
                    f.get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
            // with a limit of one, four 200 ms answers cannot overlap: at least 800 ms in all
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
        }
    }

    @Test
    void connectionClosePerVendorStillWorks() {
        try (SimBmc sim = generic(FaultPlan.NONE); BmcClient c = sim.client()) {
            c.transport().useQuirks(new TransportQuirks(true, true, TransportQuirks.ErrorRule.NONE));
            assertThat(c.transport().get("/redfish/v1/Systems").body().path("Members").size()).isEqualTo(1);
        }
    }

    private static BmcEndpoint endpoint(SimBmc sim) {
        var cr = sim.bmc.credentials();
        return new BmcEndpoint(sim.bmc.baseUri(), new Credentials(cr.username(), cr.password()), TlsPolicy.VERIFY,
                Optional.empty(), Optional.empty());
    }
}

package dev.shoal.agent.report;

import dev.shoal.agent.FakeController;
import dev.shoal.agent.task.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class ReporterTest {
    FakeController server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeController();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Reporter reporter(RetryPolicy retry) {
        return new Reporter(Callback.of(FakeController.JOB_ID, server.base(), FakeController.TOKEN, FakeController.KEY_HEX), retry, Clock.systemUTC());
    }

    @Test
    void sendsSignedEventsWithIncreasingSeq() throws Exception {
        try (Reporter r = reporter(RetryPolicy.DEFAULT)) {
            assertThat(r.log("start", "agent started")).isTrue();
            assertThat(r.progress("write-image", 5, OptionalLong.of(10))).isTrue();
            assertThat(r.progress("write-image", 7, OptionalLong.empty())).isTrue();
            assertThat(r.failed("verify-image", "checksum mismatch")).isTrue();
        }
        List<FakeController.Received> ev = server.events();
        assertThat(ev).extracting(FakeController.Received::type).containsExactly("log", "progress", "progress", "failed");
        assertThat(ev.get(1).json().get("progress").toString()).isEqualTo("{\"done\":5,\"total\":10}");
        assertThat(ev.get(2).json().get("progress").toString()).isEqualTo("{\"done\":7}");
        assertThat(ev.get(3).json().get("step").asText()).isEqualTo("verify-image");
        assertThat(ev).allSatisfy(e -> assertThat(valid(e)).isTrue());
        assertThat(ev.stream().map(e -> e.json().get("seq").asLong()).toList()).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void seqKeepsGrowingAcrossReporters() {
        long first;
        try (Reporter r = reporter(RetryPolicy.DEFAULT)) {
            r.heartbeat();
        }
        first = server.events().getLast().json().get("seq").asLong();
        try (Reporter r = reporter(RetryPolicy.DEFAULT)) { // a restarted agent
            r.heartbeat();
        }
        assertThat(server.events().getLast().json().get("seq").asLong()).isGreaterThan(first);
    }

    @Test
    void retries5xxWithTheSameSeqAndGivesUpOn4xx() {
        server.failFirst.add(503);
        server.failFirst.add(502);
        try (Reporter r = reporter(new RetryPolicy(3, Duration.ofMillis(20), Duration.ofMillis(50)))) {
            assertThat(r.log("start", "hello")).isTrue();
            assertThat(server.events()).hasSize(1);

            server.failFirst.add(500);
            server.failFirst.add(500);
            server.failFirst.add(500);
            assertThat(r.log("start", "lost")).isFalse(); // bounded: 3 attempts

            server.failFirst.add(401);
            server.failFirst.add(200);
            assertThat(r.log("start", "refused")).isFalse(); // not retried
            assertThat(server.failFirst).containsExactly(200);
        }
    }

    @Test
    void connectionErrorsAreRetriedThenReported() {
        Reporter r = new Reporter(Callback.of(FakeController.JOB_ID, java.net.URI.create("http://127.0.0.1:1"), "t",
                FakeController.KEY_HEX), new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10)), Clock.systemUTC());
        try (r) {
            assertThat(r.heartbeat()).isFalse();
        }
    }

    @Test
    void heartbeatsArriveFromTheBackgroundThreadUntilStopped() throws Exception {
        try (Reporter r = reporter(RetryPolicy.DEFAULT)) {
            r.startHeartbeat(Duration.ofMillis(50));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (server.events().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            r.stopHeartbeat();
        }
        int n = server.events().size();
        assertThat(n).isGreaterThanOrEqualTo(3);
        assertThat(server.events()).allSatisfy(e -> assertThat(e.type()).isEqualTo("heartbeat"));
        Thread.sleep(150);
        assertThat(server.events()).hasSize(n); // stopped
    }

    private static boolean valid(FakeController.Received e) {
        try {
            return FakeController.validSignature(e);
        } catch (Exception x) {
            throw new AssertionError(x);
        }
    }
}

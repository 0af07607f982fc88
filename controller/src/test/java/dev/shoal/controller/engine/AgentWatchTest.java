package dev.shoal.controller.engine;

import dev.shoal.controller.agent.AgentEventType;
import dev.shoal.controller.agent.AgentReport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class AgentWatchTest {
    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    final AgentWatch watch = new AgentWatch(Duration.ofMinutes(2), Duration.ofMinutes(30), Duration.ofHours(4));

    static AwaitingJob job(Optional<Instant> seen, Optional<AgentReport> report, Instant lastEvent, boolean cancel) {
        return new AwaitingJob("j", T0, seen, report, lastEvent, T0.plus(Duration.ofHours(5)), cancel);
    }

    static AgentReport report(AgentEventType type, String step, String message) {
        return new AgentReport(type, Optional.of(step), Optional.of(message), 9, T0.plusSeconds(60));
    }

    @Test
    void waitsWhileTheAgentBootsAndWhileItBeats() {
        assertThat(watch.judge(job(Optional.empty(), Optional.empty(), T0, false), T0.plus(Duration.ofMinutes(29))))
                .isInstanceOf(AgentWatch.Verdict.Wait.class);
        Instant seen = T0.plus(Duration.ofMinutes(40));
        assertThat(watch.judge(job(Optional.of(seen), Optional.empty(), seen, false), seen.plus(Duration.ofSeconds(119))))
                .isInstanceOf(AgentWatch.Verdict.Wait.class);
    }

    @Test
    void anAgentThatNeverCallsBackFailsAfterTheBootTimeout() {
        var v = watch.judge(job(Optional.empty(), Optional.empty(), T0, false), T0.plus(Duration.ofMinutes(30)));
        assertThat(v).isInstanceOfSatisfying(AgentWatch.Verdict.Failed.class,
                f -> assertThat(f.reason()).contains("never called back", "AGENT_BOOT_TIMEOUT", "30m"));
    }

    @Test
    void aSilentAgentFailsAfterItsHeartbeatTimeout() {
        Instant seen = T0.plusSeconds(10);
        var v = watch.judge(job(Optional.of(seen), Optional.empty(), seen, false), seen.plus(Duration.ofMinutes(2)));
        assertThat(v).isInstanceOfSatisfying(AgentWatch.Verdict.Failed.class,
                f -> assertThat(f.reason()).contains("went silent", "AGENT_HEARTBEAT_TIMEOUT (2m)"));
    }

    @Test
    void heartbeatsWithoutProgressFailAfterTheStuckTimeout() {
        Instant lastEvent = T0.plusSeconds(30);
        Instant now = lastEvent.plus(Duration.ofHours(4));
        var v = watch.judge(job(Optional.of(now.minusSeconds(5)), Optional.empty(), lastEvent, false), now);
        assertThat(v).isInstanceOfSatisfying(AgentWatch.Verdict.Failed.class,
                f -> assertThat(f.reason()).contains("no progress", "JOB_STUCK_TIMEOUT (4h)"));
    }

    @Test
    void theAgentsReportDecides() {
        assertThat(watch.judge(job(Optional.of(T0), Optional.of(report(AgentEventType.SUCCEEDED, "write-image", "image written")),
                T0, false), T0.plusSeconds(1)))
                .isEqualTo(new AgentWatch.Verdict.Succeeded("image written"));
        assertThat(watch.judge(job(Optional.of(T0), Optional.of(report(AgentEventType.FAILED, "write-image", "checksum mismatch")),
                T0, false), T0.plusSeconds(1)))
                .isEqualTo(new AgentWatch.Verdict.Failed("write-image", "the agent reported a failure: checksum mismatch"));
    }

    @Test
    void cancelComesFirstEvenAfterASuccessReport() {
        assertThat(watch.judge(job(Optional.of(T0), Optional.of(report(AgentEventType.SUCCEEDED, "write-image", "ok")),
                T0, true), T0.plusSeconds(1)))
                .isInstanceOf(AgentWatch.Verdict.Cancel.class);
    }

    @Test
    void theDeadlineEndsAJobWhoseUrlExpired() {
        var v = watch.judge(job(Optional.of(T0.plus(Duration.ofHours(5))), Optional.empty(), T0.plus(Duration.ofHours(5)), false),
                T0.plus(Duration.ofHours(5)));
        assertThat(v).isInstanceOfSatisfying(AgentWatch.Verdict.Failed.class, f -> assertThat(f.reason()).contains("deadline"));
    }

    @Test
    void timeTheControllerWasDownDoesNotCountAgainstTheAgent() {
        Instant seen = T0.plusSeconds(10);
        Instant restarted = seen.plus(Duration.ofMinutes(5)); // down for longer than the heartbeat timeout
        AwaitingJob job = job(Optional.of(seen), Optional.empty(), seen, false);
        assertThat(watch.judge(job, restarted.plusSeconds(1))).isInstanceOf(AgentWatch.Verdict.Failed.class);
        assertThat(watch.judge(job.notBefore(restarted), restarted.plusSeconds(1))).isInstanceOf(AgentWatch.Verdict.Wait.class);
        assertThat(watch.judge(job.notBefore(restarted), restarted.plus(Duration.ofMinutes(2))))
                .as("an agent still silent a heartbeat timeout after the restart fails").isInstanceOf(AgentWatch.Verdict.Failed.class);
    }
}

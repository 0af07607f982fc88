package dev.shoal.bmcsim.faults;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The faults one BMC injects. Counters ({@code errorCount}, {@code dropConnections}, {@code notReady})
 * are consumed by the requests they hit, so the plan a BMC reports shows what is left.
 *
 * @param latency                  added before every answer
 * @param errorCount               the next N requests (matching {@code errorPath}, if set) answer {@code errorStatus}
 * @param errorStatus              500..599; 503 answers carry Retry-After, as BMCs under load do
 * @param errorPath                a regular expression searched in the request path; null matches every path
 * @param dropConnections          the next N requests get their connection closed without an answer
 * @param staleInserted            after an eject, VirtualMedia keeps reporting {@code Inserted: true} this long
 * @param powerDelay               overrides the BMC's power-transition time; null keeps it
 * @param down                     the BMC refuses connections (its listener is stopped) until a plan says otherwise
 * @param expireSessions           when the plan is set, every session is dropped (old tokens answer 401)
 * @param notReady                 the next N GETs answer the personality's "not ready" error (iDRAC: 404 SYS518)
 * @param notReadyAfterPowerChange GETs that answer "not ready" after each accepted reset action; null = the
 *                                 personality's own habit (iDRAC 9: 2, others 0)
 * @param rejectIdentityEncoding   requests with {@code Accept-Encoding: identity} answer 406 (reported for some
 *                                 iLO firmware; sushy always sends identity, so this tests a client's fallback)
 * @param maxSessions              0 = unlimited; beyond it a login answers 503 SessionLimitExceeded
 * @param bmcResetDowntime         after Manager.Reset the BMC refuses connections this long and forgets its
 *                                 sessions, as a rebooting BMC does; zero = Manager.Reset changes nothing
 */
public record FaultPlan(Duration latency, int errorCount, int errorStatus, String errorPath, int dropConnections,
                        Duration staleInserted, Duration powerDelay, boolean down, boolean expireSessions,
                        int notReady, Integer notReadyAfterPowerChange, boolean rejectIdentityEncoding,
                        int maxSessions, Duration bmcResetDowntime) {

    public static final FaultPlan NONE = new FaultPlan(Duration.ZERO, 0, 503, null, 0, Duration.ZERO, null, false, false, 0, null,
            false, 0, Duration.ZERO);

    public FaultPlan {
        latency = latency == null ? Duration.ZERO : latency;
        staleInserted = staleInserted == null ? Duration.ZERO : staleInserted;
        bmcResetDowntime = bmcResetDowntime == null ? Duration.ZERO : bmcResetDowntime;
        require(!bmcResetDowntime.isNegative(), "bmcResetDowntime must not be negative");
        require(maxSessions >= 0, "maxSessions must not be negative");
        require(!latency.isNegative(), "latency must not be negative");
        require(!staleInserted.isNegative(), "staleInserted must not be negative");
        require(powerDelay == null || !powerDelay.isNegative(), "powerDelay must not be negative");
        require(errorCount >= 0, "errorCount must not be negative");
        require(errorStatus >= 500 && errorStatus <= 599, "errorStatus must be a 5xx status, not " + errorStatus);
        require(dropConnections >= 0, "dropConnections must not be negative");
        require(notReady >= 0, "notReady must not be negative");
        require(notReadyAfterPowerChange == null || notReadyAfterPowerChange >= 0, "notReadyAfterPowerChange must not be negative");
        if (errorPath != null) {
            try {
                Pattern.compile(errorPath);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("errorPath is not a regular expression: " + e.getDescription());
            }
        }
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public boolean errorMatches(String path) {
        return errorCount > 0 && (errorPath == null || Pattern.compile(errorPath).matcher(path).find());
    }

    public FaultPlan withLatency(Duration d) {
        return new FaultPlan(d, errorCount, errorStatus, errorPath, dropConnections, staleInserted, powerDelay, down, expireSessions, notReady, notReadyAfterPowerChange, rejectIdentityEncoding, maxSessions, bmcResetDowntime);
    }

    /** The next {@code count} requests answer {@code status} (500, 503, ...). */
    public FaultPlan withErrors(int count, int status) {
        return withErrors(count, status, null);
    }

    /** The next {@code count} requests whose path contains a match of {@code pathRegex} answer {@code status}. */
    public FaultPlan withErrors(int count, int status, String pathRegex) {
        return new FaultPlan(latency, count, status, pathRegex, dropConnections, staleInserted, powerDelay, down, expireSessions, notReady, notReadyAfterPowerChange, rejectIdentityEncoding, maxSessions, bmcResetDowntime);
    }

    public FaultPlan withDroppedConnections(int count) {
        return new FaultPlan(latency, errorCount, errorStatus, errorPath, count, staleInserted, powerDelay, down, expireSessions, notReady, notReadyAfterPowerChange, rejectIdentityEncoding, maxSessions, bmcResetDowntime);
    }

    public FaultPlan withStaleInserted(Duration d) {
        return new FaultPlan(latency, errorCount, errorStatus, errorPath, dropConnections, d, powerDelay, down, expireSessions, notReady, notReadyAfterPowerChange, rejectIdentityEncoding, maxSessions, bmcResetDowntime);
    }

    public FaultPlan withPowerDelay(Duration d) {
        return new FaultPlan(latency, errorCount, errorStatus, errorPath, dropConnections, staleInserted, d, down, expireSessions, notReady, notReadyAfterPowerChange, rejectIdentityEncoding, maxSessions, bmcResetDowntime);
    }

    public FaultPlan withDown(boolean isDown) {
        return new FaultPlan(latency, errorCount, errorStatus, errorPath, dropConnections, staleInserted, powerDelay, isDown, expireSessions, notReady, notReadyAfterPowerChange, rejectIdentityEncoding, maxSessions, bmcResetDowntime);
    }

    public FaultPlan withExpireSessions(boolean expire) {
        return new FaultPlan(latency, errorCount, errorStatus, errorPath, dropConnections, staleInserted, powerDelay, down, expire, notReady, notReadyAfterPowerChange, rejectIdentityEncoding, maxSessions, bmcResetDowntime);
    }

    public FaultPlan withNotReady(int count) {
        return new FaultPlan(latency, errorCount, errorStatus, errorPath, dropConnections, staleInserted, powerDelay, down, expireSessions, count, notReadyAfterPowerChange, rejectIdentityEncoding, maxSessions, bmcResetDowntime);
    }

    public FaultPlan withNotReadyAfterPowerChange(Integer count) {
        return new FaultPlan(latency, errorCount, errorStatus, errorPath, dropConnections, staleInserted, powerDelay, down, expireSessions, notReady, count, rejectIdentityEncoding, maxSessions, bmcResetDowntime);
    }

    public FaultPlan withRejectIdentityEncoding(boolean reject) {
        return new FaultPlan(latency, errorCount, errorStatus, errorPath, dropConnections, staleInserted, powerDelay, down, expireSessions, notReady, notReadyAfterPowerChange, reject, maxSessions, bmcResetDowntime);
    }

    public FaultPlan withMaxSessions(int max) {
        return new FaultPlan(latency, errorCount, errorStatus, errorPath, dropConnections, staleInserted, powerDelay, down, expireSessions, notReady, notReadyAfterPowerChange, rejectIdentityEncoding, max, bmcResetDowntime);
    }

    public FaultPlan withBmcResetDowntime(Duration d) {
        return new FaultPlan(latency, errorCount, errorStatus, errorPath, dropConnections, staleInserted, powerDelay, down, expireSessions, notReady, notReadyAfterPowerChange, rejectIdentityEncoding, maxSessions, d);
    }

    /** The plan after one injected error, drop or not-ready answer: counters only ever go down. */
    public FaultPlan consumeError() {
        return withErrors(errorCount - 1, errorStatus, errorPath);
    }

    public FaultPlan consumeDrop() {
        return withDroppedConnections(dropConnections - 1);
    }

    public FaultPlan consumeNotReady() {
        return withNotReady(notReady - 1);
    }
}

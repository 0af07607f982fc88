package dev.shoal.agent.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.agent.Tls;
import dev.shoal.agent.task.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sends the job's signed callbacks. Sends are serialised (the controller refuses a seq not above the last one it
 * accepted, so two in flight could reject each other) and seq starts from the current time in milliseconds, so an
 * agent restarted for the same job still counts upwards. A connection error or 5xx is retried with backoff; 409
 * {@code replayed} after a retry means the earlier attempt was recorded, so it counts as delivered. Other 4xx are
 * not retried. A failed callback never throws: the send methods return whether it was delivered.
 */
public final class Reporter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reporter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI eventsUrl;
    private final String token;
    private final Signer signer;
    private final HttpClient client;
    private final RetryPolicy retry;
    private final Clock clock;
    private final ReentrantLock sending = new ReentrantLock();
    private long lastSeq;
    private volatile boolean cancelRequested;
    private volatile Thread heartbeat;

    public Reporter(Callback callback, RetryPolicy retry, Clock clock) {
        this.eventsUrl = callback.eventsUrl();
        this.token = callback.agentToken();
        this.signer = new Signer(callback.jobKey());
        // Virtual threads for the client's own tasks: its default executor is a pool of platform threads, which adds
        // up when bmc-sim runs hundreds of agents in one JVM and costs the maintenance OS nothing to avoid.
        this.client = HttpClient.newBuilder().sslContext(Tls.context(callback.caCerts()))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.retry = retry;
        this.clock = clock;
    }

    public Reporter(Callback callback) {
        this(callback, RetryPolicy.DEFAULT, Clock.systemUTC());
    }

    /** True once a controller reply said the operator cancelled the job. */
    public boolean cancelRequested() {
        return cancelRequested;
    }

    public boolean log(String step, String message) {
        return send(EventType.LOG, Optional.ofNullable(step), Optional.of(message), Optional.empty());
    }

    public boolean progress(String step, long done, OptionalLong total) {
        return send(EventType.PROGRESS, Optional.of(step), Optional.empty(), Optional.of(new Event.Progress(done, total)));
    }

    public boolean heartbeat() {
        return send(EventType.HEARTBEAT, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public boolean succeeded(String step, String message) {
        return send(EventType.SUCCEEDED, Optional.of(step), Optional.of(message), Optional.empty());
    }

    public boolean failed(String step, String reason) {
        return send(EventType.FAILED, Optional.of(step), Optional.of(reason), Optional.empty());
    }

    /** Starts a virtual thread sending a heartbeat every {@code every} until {@link #close()}. */
    public void startHeartbeat(Duration every) {
        if (heartbeat != null) {
            throw new IllegalStateException("heartbeat already running");
        }
        heartbeat = Thread.ofVirtual().name("shoal-agent-heartbeat").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(every);
                    heartbeat();
                }
            } catch (InterruptedException e) {
                // stopped
            }
        });
    }

    /** Stops the heartbeat, waiting for one in flight: call it before the final succeeded or failed. */
    public void stopHeartbeat() {
        Thread t = heartbeat;
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stopHeartbeat();
        client.close();
    }

    private boolean send(EventType type, Optional<String> step, Optional<String> message, Optional<Event.Progress> progress) {
        sending.lock();
        try {
            long seq = Math.max(clock.millis(), lastSeq + 1);
            lastSeq = seq;
            byte[] body = new Event(seq, type, step, message, progress).toJson();
            return deliver(type, seq, body);
        } finally {
            sending.unlock();
        }
    }

    private boolean deliver(EventType type, long seq, byte[] body) {
        for (int attempt = 1; ; attempt++) {
            String problem;
            try {
                HttpRequest req = HttpRequest.newBuilder(eventsUrl).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + token)
                        .header(Signer.HEADER, signer.header(clock.instant().getEpochSecond(), body))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                HttpResponse<String> resp = client.send(req, HttpResponse.BodyHandlers.ofString());
                int s = resp.statusCode();
                if (s / 100 == 2) {
                    readCancel(resp.body());
                    return true;
                }
                if (s == 409 && attempt > 1 && resp.body().contains("\"replayed\"")) {
                    return true; // an earlier attempt was recorded, its response lost
                }
                problem = "HTTP " + s + ": " + abbreviate(resp.body());
                if (s < 500) {
                    LOG.warn("callback {} seq {} refused: {}", type.wire(), seq, problem);
                    return false;
                }
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (attempt >= retry.attempts()) {
                LOG.warn("callback {} seq {} not delivered after {} attempts: {}", type.wire(), seq, attempt, problem);
                return false;
            }
            LOG.debug("callback {} seq {} attempt {} failed: {}", type.wire(), seq, attempt, problem);
            try {
                Thread.sleep(retry.backoff(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private void readCancel(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.path("cancel_requested").asBoolean(false)) {
                cancelRequested = true;
            }
        } catch (IOException e) {
            // a 2xx without the JSON reply still delivered the event
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}

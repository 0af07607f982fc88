package dev.shoal.bmcsim.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named stand-in for Shoal's controller, which bmc-sim cannot depend on: only the agent callback endpoint,
 * {@code POST /api/v1/jobs/{id}/agent/events}, for jobs registered with their bearer token. A wrong or missing
 * token gets 401; an accepted event is recorded and answered {@code {"seq":n,"cancel_requested":false}}. Signatures
 * are not checked here (the agent's own tests do that; the controller's end-to-end test checks them for real).
 */
public final class FakeController implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern EVENTS = Pattern.compile("/api/v1/jobs/([^/]+)/agent/events");

    public record Event(String jobId, JsonNode json) {
        public String type() {
            return json.path("type").asText();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final List<Event> events = new ArrayList<>();
    private int refused;

    public FakeController() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        server.setExecutor(executor);
        server.createContext("/api/v1/jobs/", this::handle);
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Accepts callbacks for {@code jobId} that carry {@code Bearer token}. */
    public void job(String jobId, String token) {
        tokens.put(jobId, token);
    }

    public synchronized List<Event> events(String jobId) {
        return events.stream().filter(e -> e.jobId().equals(jobId)).toList();
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Callbacks answered 401 (unknown job or wrong token). */
    public synchronized int refused() {
        return refused;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Matcher m = EVENTS.matcher(ex.getRequestURI().getPath());
            if (!m.matches() || !ex.getRequestMethod().equals("POST")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            String token = tokens.get(m.group(1));
            if (token == null || !("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                synchronized (this) {
                    refused++;
                }
                ex.sendResponseHeaders(401, -1);
                return;
            }
            JsonNode json = JSON.readTree(body);
            synchronized (this) {
                events.add(new Event(m.group(1), json));
            }
            byte[] reply = ("{\"seq\":" + json.path("seq").asLong() + ",\"cancel_requested\":false}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

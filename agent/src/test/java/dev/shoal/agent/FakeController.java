package dev.shoal.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A real HTTP server on 127.0.0.1: serves image files from disk (streamed) and records agent callbacks. */
public final class FakeController implements AutoCloseable {
    public static final String JOB_ID = "0b7e2f4a-1c3d-4e5f-8a9b-0c1d2e3f4a5b";
    public static final String TOKEN = "agent-token-secret";
    public static final String KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Received(String authorization, String signature, byte[] body, JsonNode json) {
        public String type() {
            return json.get("type").asText();
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Path> images = new ConcurrentHashMap<>();
    public final Queue<Received> events = new ConcurrentLinkedQueue<>();
    /** How long an image request waits before its answer starts: a slow mirror. */
    public volatile java.time.Duration imageDelay = java.time.Duration.ZERO;
    /** Statuses to answer callbacks with before answering 200 (each used once). */
    public final Queue<Integer> failFirst = new ConcurrentLinkedQueue<>();

    public FakeController() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/images/", this::image);
        server.createContext("/api/v1/jobs/", this::callback);
        server.start();
    }

    public URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public URI serve(String name, Path file) {
        images.put(name, file);
        return base().resolve("/images/" + name);
    }

    private void image(HttpExchange ex) throws IOException {
        try (ex) {
            Path f = images.get(ex.getRequestURI().getPath().substring("/images/".length()));
            if (f == null) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            try {
                Thread.sleep(imageDelay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            ex.sendResponseHeaders(200, Files.size(f));
            try (OutputStream out = ex.getResponseBody()) {
                Files.copy(f, out);
            }
        }
    }

    private void callback(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            if (!ex.getRequestURI().getPath().equals("/api/v1/jobs/" + JOB_ID + "/agent/events")
                    || !ex.getRequestMethod().equals("POST")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            Integer fail = failFirst.poll();
            if (fail != null) {
                ex.sendResponseHeaders(fail, -1);
                return;
            }
            JsonNode json = JSON.readTree(body);
            events.add(new Received(ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("X-Shoal-Signature"), body, json));
            byte[] reply = ("{\"seq\":" + json.get("seq").asLong() + ",\"cancel_requested\":false}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, reply.length);
            ex.getResponseBody().write(reply);
        }
    }

    public List<Received> events() {
        return new ArrayList<>(events);
    }

    public List<Received> events(String type) {
        return events().stream().filter(e -> e.type().equals(type)).toList();
    }

    /** Recomputes the signature as the controller does; true if it matches and t is within 5 minutes. */
    public static boolean validSignature(Received r) throws Exception {
        String[] parts = r.signature().split(",");
        long t = Long.parseLong(parts[0].substring("t=".length()));
        String v1 = parts[1].substring("v1=".length());
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(KEY_HEX), "HmacSHA256"));
        mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
        String expected = HexFormat.of().formatHex(mac.doFinal(r.body()));
        return expected.equals(v1) && Math.abs(System.currentTimeMillis() / 1000 - t) < 300;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}

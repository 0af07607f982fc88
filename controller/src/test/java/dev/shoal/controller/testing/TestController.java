package dev.shoal.controller.testing;

import dev.shoal.controller.ControllerApp;
import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.config.ConfigLoader;
import dev.shoal.controller.config.ConfigSources;
import dev.shoal.controller.config.ControllerConfig;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * A real controller in this JVM: real Jetty on an ephemeral 127.0.0.1 port, a real SQLite file under a
 * test's temp directory. Settings are given as the environment would give them.
 */
public final class TestController implements AutoCloseable {
    public static final String USER = "admin";

    private final ControllerApp app;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ByteArrayOutputStream console;
    private final String password;

    private TestController(ControllerApp app, ByteArrayOutputStream console, String password) {
        this.app = app;
        this.console = console;
        this.password = password;
    }

    /** Local mode with a generated admin password (read back from its 0600 file), draining (no job starts). */
    public static TestController local(Path root) throws Exception {
        return local(root, Map.of());
    }

    public static TestController local(Path root, Map<ConfigKey, String> extra) throws Exception {
        Map<ConfigKey, String> s = new EnumMap<>(ConfigKey.class);
        s.put(ConfigKey.SHOAL_MODE, "local");
        s.put(ConfigKey.CONTROLLER_HTTP_ADDR, "127.0.0.1:0");
        s.put(ConfigKey.STORAGE_ROOT, root.toString());
        // most tests look at the API, not at provisioning: queued jobs stay queued unless a test undrains
        s.put(ConfigKey.DRAIN, "true");
        s.putAll(extra);
        return start(s, null);
    }

    /** Starts with exactly these settings; {@code password} is what tests log in with (null: read the local one). */
    public static TestController start(Map<ConfigKey, String> settings, String password) throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        settings.forEach((k, v) -> env.put(k.name(), v));
        ControllerConfig config = ConfigLoader.load(ConfigSources.collect(env, Optional.empty(), Map.of()));
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ControllerApp app = ControllerApp.start(config, new PrintStream(console, true, StandardCharsets.UTF_8));
        String pw = password;
        if (pw == null) {
            Path f = config.paths().keysDir().resolve("initial-admin-password");
            pw = java.nio.file.Files.exists(f) ? java.nio.file.Files.readString(f).strip() : "";
        }
        return new TestController(app, console, pw);
    }

    public ControllerApp app() {
        return app;
    }

    public URI uri(String path) {
        return app.baseUri().resolve(path);
    }

    public String password() {
        return password;
    }

    public String console() {
        return console.toString(StandardCharsets.UTF_8);
    }

    public String authorization() {
        return basic(USER, password);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization()).GET().build());
    }

    public HttpResponse<String> post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", authorization())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> send(HttpRequest request) throws Exception {
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        app.close();
    }
}

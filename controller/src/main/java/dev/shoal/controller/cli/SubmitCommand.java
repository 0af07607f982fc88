package dev.shoal.controller.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.secrets.LocalBootstrap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code shoal-controller submit [--follow] JOB.json}: posts a job to a running controller and, with --follow, prints
 * each of its events as it happens until the job ends. Exit 0 when it is complete, 1 when it failed or was cancelled.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Post a job (a JSON file as POST /api/v1/jobs takes it) and optionally follow it to its end.",
                "The API password comes from API_PASSWORD, else --password-file, else a local controller's",
                "generated one (STORAGE_ROOT/keys/initial-admin-password)."})
final class SubmitCommand implements Callable<Integer> {
    static final Set<String> TERMINAL = Set.of("complete", "failed", "cancelled");

    @Parameters(paramLabel = "JOB.json", description = "The job: {\"server\": {...}, \"recipe\": {...}}; - for standard input")
    String file;
    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "The controller (default ${DEFAULT-VALUE})")
    URI url;
    @Option(names = "--user", defaultValue = "admin", description = "API user (default ${DEFAULT-VALUE})")
    String user;
    @Option(names = "--password-file", description = "File holding the API password")
    Path passwordFile;
    @Option(names = "--storage-root", defaultValue = "./var/shoal", description = "A local controller's data (default ${DEFAULT-VALUE})")
    Path storageRoot;
    @Option(names = {"--follow", "-f"}, description = "Print the job's events as they happen until it ends")
    boolean follow;
    @Option(names = "--timeout", defaultValue = "2h", description = "Stop following after this long (default ${DEFAULT-VALUE})")
    String timeout;

    private final Console console;

    SubmitCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        byte[] body;
        try {
            body = file.equals("-") ? console.in().readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            return Exit.failure(console, "submit: cannot read the job file " + file + ": " + e.getMessage());
        }
        String auth;
        try {
            auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException | IllegalStateException e) {
            return Exit.failure(console, "submit: " + e.getMessage());
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(url.resolve("/api/v1/jobs"))
                    .header("Authorization", auth).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 201) {
                return Exit.failure(console, "submit: the controller answered " + created.statusCode() + ": " + created.body());
            }
            JsonNode job = Json.parse(created.body());
            String id = job.path("id").asText();
            console.out().println("job " + id + " " + job.path("state").asText());
            if (!follow) {
                return Exit.OK;
            }
            return follow(http, auth, id, System.nanoTime() + dev.shoal.controller.config.Durations.parse(timeout).toNanos());
        } catch (java.net.ConnectException e) {
            return Exit.failure(console, "submit: no controller answers at " + url + " (is it running?)");
        }
    }

    private int follow(HttpClient http, String auth, String id, long deadline) throws Exception {
        long seq = 0;
        while (System.nanoTime() < deadline) {
            JsonNode events = get(http, auth, "/api/v1/jobs/" + id + "/events?after=" + seq + "&limit=500");
            for (JsonNode e : events.path("items")) {
                seq = Math.max(seq, e.path("seq").asLong());
                console.out().printf("%s  %-14s %s%n", e.path("time").asText(), e.path("step").asText(), e.path("message").asText());
            }
            console.out().flush();
            JsonNode job = get(http, auth, "/api/v1/jobs/" + id);
            String state = job.path("state").asText();
            if (TERMINAL.contains(state) && events.path("items").isEmpty()) {
                console.out().println("job " + id + " " + state + (job.path("error").isObject()
                        ? ": " + job.path("error").path("message").asText() : ""));
                return state.equals("complete") ? Exit.OK : Exit.FAILED;
            }
            Thread.sleep(events.path("items").isEmpty() ? 500 : 50);
        }
        return Exit.failure(console, "submit: stopped following job " + id + " after " + timeout + "; it goes on");
    }

    private JsonNode get(HttpClient http, String auth, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve(path)).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.parse(r.body());
    }

    private String password() throws IOException {
        String env = console.environment().get("API_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        Path f = passwordFile != null ? passwordFile : storageRoot.resolve("keys").resolve(LocalBootstrap.ADMIN_PASSWORD_FILE);
        if (!Files.isReadable(f)) {
            throw new IllegalStateException("no API password: set API_PASSWORD or --password-file (" + f + " is not readable)");
        }
        return Files.readString(f).strip();
    }
}

package dev.shoal.controller.engine;

import dev.shoal.agent.report.Reporter;
import dev.shoal.agent.report.RetryPolicy;
import dev.shoal.agent.task.TaskParser;
import dev.shoal.agent.task.TaskSource;
import dev.shoal.bmcsim.machine.BootContext;
import dev.shoal.bmcsim.machine.BootSource;
import dev.shoal.bmcsim.machine.Machine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a maintenance OS that hangs right after its agent said hello: it fetches the task ISO from the URL
 * the controller inserted, sends one signed log callback with the agent's own Reporter, and is silent from then on.
 * (A real agent heartbeats on a thread of its own, so only a machine that froze behaves like this.)
 */
final class SilentAgentMachine implements Machine {
    private final Path dir;
    final CopyOnWriteArrayList<String> said = new CopyOnWriteArrayList<>();

    SilentAgentMachine(Path dir) {
        this.dir = dir;
    }

    @Override
    public void boot(BootContext context) {
        if (context.source() != BootSource.CD) {
            return;
        }
        try (HttpClient http = HttpClient.newHttpClient()) {
            for (String url : context.media().values()) {
                if (!url.endsWith("/task.iso")) {
                    continue;
                }
                Path iso = Files.createTempFile(dir, "task", ".iso");
                http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofFile(iso));
                try (Reporter r = new Reporter(TaskParser.callback(TaskSource.read(iso)), RetryPolicy.DEFAULT, Clock.systemUTC())) {
                    if (r.log("start", "agent started, then froze")) {
                        said.add(url);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.shoal.controller.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.bmcsim.BmcSimulator;
import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.SimulatedBmc;
import dev.shoal.bmcsim.SimulatorConfig;
import dev.shoal.bmcsim.machine.Machine;
import dev.shoal.controller.ControllerApp;
import dev.shoal.controller.config.ConfigKey;
import dev.shoal.iso.IsoWriter;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A controller with its engine running, simulated BMCs whose "servers" are {@code machine}, and a small maintenance
 * ISO in STATIC_DIR/isos/maintenance.iso (served by the controller, so BMCs fetch it over real HTTP). All on
 * 127.0.0.1.
 */
public final class ProvisioningRig implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    public static final Set<String> TERMINAL = Set.of("complete", "failed", "cancelled");

    private final TestController controller;
    private final BmcSimulator sim;

    private ProvisioningRig(TestController controller, BmcSimulator sim) {
        this.controller = controller;
        this.sim = sim;
    }

    public static ProvisioningRig start(Path root, List<BmcSpec> bmcs, Machine machine, Map<ConfigKey, String> extra) throws Exception {
        Path isos = root.resolve("static/isos");
        Files.createDirectories(isos);
        IsoWriter.builder().volumeId("SHOAL-MAINT")
                .file("README.txt", "stand-in maintenance OS for tests\n".getBytes(StandardCharsets.UTF_8), 0644)
                .build().writeTo(isos.resolve(ControllerApp.DEFAULT_MAINTENANCE_ISO));
        Map<ConfigKey, String> s = new EnumMap<>(ConfigKey.class);
        s.put(ConfigKey.DRAIN, "false");
        s.put(ConfigKey.REDFISH_TIMEOUT, "5s");
        s.putAll(extra);
        // a power change takes a moment, as on real BMCs: the simulator tells the machine of a power-off and of the
        // next boot on threads of their own, and with no time between them they could arrive the wrong way round
        List<BmcSpec> paced = bmcs.stream().map(b -> b.powerDelay().isZero() ? b.withPowerDelay(Duration.ofMillis(150)) : b).toList();
        BmcSimulator sim = BmcSimulator.start(new SimulatorConfig(SimulatorConfig.DEFAULT_HOST, paced, 0, machine, false));
        try {
            return new ProvisioningRig(TestController.local(root, s), sim);
        } catch (Exception | Error e) {
            sim.close();
            throw e;
        }
    }

    public TestController controller() {
        return controller;
    }

    public BmcSimulator sim() {
        return sim;
    }

    public SimulatedBmc bmc(String name) {
        return sim.bmc(name);
    }

    /** A job for this BMC with the given recipe JSON; returns its id. */
    public String submit(String bmcName, String recipeJson) throws Exception {
        SimulatedBmc b = sim.bmc(bmcName);
        String body = """
                {"server": {"bmc_url": "%s", "username": "%s", "password": "%s"}, "recipe": %s, "labels": {"test": "engine"}}"""
                .formatted(b.baseUri(), b.credentials().username(), b.credentials().password(), recipeJson);
        HttpResponse<String> r = controller.post("/api/v1/jobs", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).path("id").asText();
    }

    public JsonNode job(String id) throws Exception {
        HttpResponse<String> r = controller.get("/api/v1/jobs/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    public List<JsonNode> events(String id) throws Exception {
        HttpResponse<String> r = controller.get("/api/v1/jobs/" + id + "/events?limit=500");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).path("items").forEach(out::add);
        return out;
    }

    /** The job's states in the order its events show them, starting with queued. */
    public List<String> stateHistory(String id) throws Exception {
        List<String> states = new ArrayList<>(List.of("queued"));
        for (JsonNode e : events(id)) {
            if (e.path("step").asText().equals("state")) {
                states.add(e.path("details").path("to").asText());
            }
        }
        return states;
    }

    public JsonNode awaitState(String id, Set<String> wanted, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        JsonNode j = job(id);
        while (!wanted.contains(j.path("state").asText())) {
            if (System.nanoTime() > end) {
                throw new AssertionError("job " + id + " is " + j.path("state").asText() + " (step " + j.path("step").asText()
                        + ") after " + timeout + ", not " + wanted + "; events:\n" + describe(events(id)));
            }
            Thread.sleep(100);
            j = job(id);
        }
        return j;
    }

    public JsonNode awaitStep(String id, String step, Duration timeout) throws Exception {
        long end = System.nanoTime() + timeout.toNanos();
        JsonNode j = job(id);
        while (!j.path("step").asText().equals(step)) {
            if (System.nanoTime() > end) {
                throw new AssertionError("job " + id + " is at step " + j.path("step").asText() + " after " + timeout
                        + ", not " + step + "; events:\n" + describe(events(id)));
            }
            Thread.sleep(100);
            j = job(id);
        }
        return j;
    }

    public static String describe(List<JsonNode> events) {
        StringBuilder b = new StringBuilder();
        events.forEach(e -> b.append("  ").append(e.path("step").asText()).append(": ").append(e.path("message").asText()).append('\n'));
        return b.toString();
    }

    @Override
    public void close() {
        try {
            controller.close();
        } finally {
            sim.close();
        }
    }
}

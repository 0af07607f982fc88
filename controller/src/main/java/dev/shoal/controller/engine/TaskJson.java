package dev.shoal.controller.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.agent.AgentToken;
import dev.shoal.controller.agent.JobKey;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.jobs.Job;
import dev.shoal.controller.registry.JobPullCredentials;
import dev.shoal.controller.secrets.Secret;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * task.json, as DESIGN.md lists it and the agent's TaskParser reads it: job id, controller base URL, the agent's
 * token, the job's callback signing key, the heartbeat interval, the recipe with its secrets put back, the
 * controller's CA certificate when it serves TLS, and the job's registry pull credential when its image is an
 * {@code oci://} artifact in this controller's registry. The only place these secrets are put together, and the result
 * goes nowhere but into the 0600 task ISO.
 */
final class TaskJson {
    private TaskJson() {
    }

    static ObjectNode of(Job job, URI controllerUrl, AgentToken token, JobKey key, Duration heartbeat,
                         Map<String, Secret> recipeSecrets, Optional<String> caPem, Optional<JobPullCredentials.Issued> registry) {
        ObjectNode t = Json.object();
        t.put("job_id", job.id());
        t.put("controller_url", controllerUrl.toString());
        t.put("agent_token", token.value().reveal());
        t.put("job_key", key.hex());
        t.put("heartbeat_interval_seconds", heartbeat.toSeconds());
        ObjectNode recipe = job.recipe().deepCopy();
        recipeSecrets.forEach((path, value) -> put(recipe, path, value.reveal()));
        t.set("recipe", recipe);
        caPem.ifPresent(pem -> t.put("ca_cert", pem));
        registry.ifPresent(r -> {
            ObjectNode o = t.putObject("registry");
            o.put("url", controllerUrl.toString());
            o.put("username", r.username());
            o.put("password", r.password().reveal());
        });
        return t;
    }

    /** {@code a.b.c} → recipe.a.b.c, creating objects on the way (the stored recipe holds masks there). */
    private static void put(ObjectNode root, String path, String value) {
        String[] parts = path.split("\\.");
        ObjectNode o = root;
        for (int i = 0; i < parts.length - 1; i++) {
            o = o.get(parts[i]) instanceof ObjectNode child ? child : o.putObject(parts[i]);
        }
        o.put(parts[parts.length - 1], value);
    }
}

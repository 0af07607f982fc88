package dev.shoal.controller.jobs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.http.Json;

import java.time.Instant;
import java.util.Optional;

/** The API's JSON for jobs and events. Built only from public fields: a secret cannot reach it. */
final class JobView {
    private JobView() {
    }

    static ObjectNode of(Job j) {
        ObjectNode o = Json.object();
        o.put("id", j.id());
        o.put("state", j.state().wire());
        o.put("step", j.step().orElse(null));
        o.set("server", j.server());
        o.set("recipe", j.recipe());
        o.set("labels", j.labels());
        o.put("cancel_requested", j.cancelRequested());
        o.set("error", j.error().orElse(null));
        o.put("created_at", j.createdAt().toString());
        o.put("updated_at", j.updatedAt().toString());
        o.put("started_at", text(j.startedAt()));
        o.put("ended_at", text(j.endedAt()));
        ObjectNode links = o.putObject("links");
        links.put("self", "/api/v1/jobs/" + j.id());
        links.put("events", "/api/v1/jobs/" + j.id() + "/events");
        return o;
    }

    static ObjectNode of(JobEvent e) {
        ObjectNode o = Json.object();
        o.put("seq", e.seq());
        o.put("time", e.at().toString());
        o.put("step", e.step());
        o.put("message", e.message());
        o.set("details", e.details().orElse(null));
        return o;
    }

    private static String text(Optional<Instant> t) {
        return t.map(Instant::toString).orElse(null);
    }
}

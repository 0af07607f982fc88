package dev.shoal.controller.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.http.ApiException;
import dev.shoal.controller.http.ApiRequest;
import dev.shoal.controller.http.ApiResponse;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.http.Router;
import dev.shoal.controller.jobs.JobState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * The operator's view of the engine and the drain switch, behind the API's Basic auth. Draining stops starting
 * queued jobs; running ones finish. An upgrade drains, waits until {@code jobs_active} is 0, then restarts.
 */
public final class EngineApi {
    private static final Logger LOG = LoggerFactory.getLogger(EngineApi.class);
    public static final String STATUS = "/api/v1/engine";
    public static final String DRAIN = "/api/v1/engine/drain";
    public static final String RESUME = "/api/v1/engine/resume";

    private final Supplier<JobEngine> engine;

    /** A supplier: the engine starts after the listener (it needs the bound port for its URLs). */
    public EngineApi(Supplier<JobEngine> engine) {
        this.engine = engine;
    }

    public void addRoutes(Router router) {
        router.add("GET", STATUS, r -> ApiResponse.ok(view(engine().status())));
        router.add("POST", DRAIN, r -> switchTo(r, true));
        router.add("POST", RESUME, r -> switchTo(r, false));
    }

    private JobEngine engine() {
        JobEngine e = engine.get();
        if (e == null) {
            throw new ApiException(503, "starting", "the job engine is starting; try again in a moment");
        }
        return e;
    }

    private ApiResponse switchTo(ApiRequest r, boolean draining) {
        JobEngine engine = engine();
        engine.setDraining(draining);
        LOG.atInfo().addKeyValue("user", r.principal()).addKeyValue("draining", draining)
                .log(draining ? "engine draining: no queued job will start" : "engine resumed: queued jobs start again");
        return ApiResponse.ok(view(engine.status()));
    }

    static ObjectNode view(JobEngine.Status s) {
        ObjectNode o = Json.object();
        o.put("draining", s.draining());
        o.put("picking_new_jobs", s.pickingNewJobs());
        o.put("worker_concurrency", s.workerConcurrency());
        o.put("steps_running", s.stepsRunning());
        long active = s.jobs().getOrDefault(JobState.PROVISIONING, 0L) + s.jobs().getOrDefault(JobState.SUCCEEDED, 0L);
        o.put("jobs_active", active);
        ObjectNode counts = o.putObject("jobs");
        for (JobState st : JobState.values()) {
            counts.put(st.wire(), s.jobs().getOrDefault(st, 0L));
        }
        return o;
    }
}

package dev.shoal.controller.jobs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.http.ApiException;
import dev.shoal.controller.http.ApiRequest;
import dev.shoal.controller.http.ApiResponse;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.http.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The operator's jobs API (DESIGN.md "Jobs"). */
public final class JobsApi {
    private static final Logger LOG = LoggerFactory.getLogger(JobsApi.class);
    static final int MAX_BODY = 4 << 20;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final JobStore store;

    public JobsApi(JobStore store) {
        this.store = store;
    }

    public void addRoutes(Router router) {
        router.add("POST", "/api/v1/jobs", this::create);
        router.add("GET", "/api/v1/jobs", this::list);
        router.add("GET", "/api/v1/jobs/{id}", this::get);
        router.add("GET", "/api/v1/jobs/{id}/events", this::events);
        router.add("POST", "/api/v1/jobs/{id}/cancel", this::cancel);
    }

    private ApiResponse create(ApiRequest r) {
        JobRequest req = JobRequestParser.parse(r.jsonBody(MAX_BODY));
        Job job = store.create(req, r.principal());
        LOG.atInfo().addKeyValue("job", job.id()).addKeyValue("user", r.principal())
                .addKeyValue("bmc", job.server().path("bmc_url").asText()).log("job queued");
        return ApiResponse.of(201, JobView.of(job)).withHeader("Location", "/api/v1/jobs/" + job.id());
    }

    private ApiResponse get(ApiRequest r) {
        return ApiResponse.ok(JobView.of(find(r.path("id"))));
    }

    private ApiResponse list(ApiRequest r) {
        Set<JobState> states = states(r.query("state"));
        int limit = limit(r.query("limit"));
        Optional<String> after = r.query("cursor").filter(c -> !c.isEmpty()).map(JobsApi::decodeCursor);
        JobStore.Page page = store.list(states, limit, after);
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        page.items().forEach(j -> items.add(JobView.of(j)));
        body.put("next_cursor", page.nextAfterId().map(JobsApi::encodeCursor).orElse(null));
        return ApiResponse.ok(body);
    }

    private ApiResponse events(ApiRequest r) {
        Job job = find(r.path("id"));
        long after = r.query("after").map(a -> number("after", a, 0, Long.MAX_VALUE)).orElse(0L);
        int limit = limit(r.query("limit"));
        List<JobEvent> events = store.events(job.id(), after, limit + 1);
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("items");
        events.stream().limit(limit).forEach(e -> items.add(JobView.of(e)));
        body.put("has_more", events.size() > limit);
        return ApiResponse.ok(body);
    }

    private ApiResponse cancel(ApiRequest r) {
        String id = r.path("id");
        return switch (store.cancel(id, r.principal())) {
            case NOT_FOUND -> throw notFound(id);
            case ALREADY_ENDED -> throw new ApiException(409, "conflict",
                    "job " + id + " has already ended (" + find(id).state().wire() + ")");
            case CANCELLED -> ApiResponse.ok(JobView.of(find(id)));
            case REQUESTED -> ApiResponse.of(202, JobView.of(find(id)));
            case FINISHING -> throw new ApiException(409, "conflict",
                    "the job has succeeded: the OS is written and the server is being booted from disk; nothing to cancel");
        };
    }

    private Job find(String id) {
        return store.get(id).orElseThrow(() -> notFound(id));
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("job " + id + " does not exist");
    }

    private static Set<JobState> states(Optional<String> param) {
        Set<JobState> states = EnumSet.noneOf(JobState.class);
        param.filter(p -> !p.isEmpty()).ifPresent(p -> {
            for (String s : p.split(",")) {
                states.add(JobState.fromWire(s.strip()).orElseThrow(() -> ApiException.badRequest("state",
                        "\"" + s.strip() + "\" is not a job state (queued, provisioning, succeeded, complete, failed, cancelled)")));
            }
        });
        return states;
    }

    private static int limit(Optional<String> param) {
        return param.map(l -> (int) number("limit", l, 1, MAX_LIMIT)).orElse(DEFAULT_LIMIT);
    }

    private static long number(String name, String value, long min, long max) {
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest(name, "must be a whole number from " + min + " to " + max);
    }

    // Cursors are opaque to clients so that the ordering key can change without breaking them.
    static String encodeCursor(String lastId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + lastId).getBytes(StandardCharsets.UTF_8));
    }

    static String decodeCursor(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (s.startsWith("after:") && s.length() > 6) {
                return s.substring(6);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ApiException.badRequest("cursor", "is not a cursor this API returned; start again without it");
    }
}

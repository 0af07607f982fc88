package dev.shoal.controller.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.http.ApiResponse;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.http.Router;
import dev.shoal.controller.store.Database;

/**
 * Liveness and readiness. {@code /healthz} says the process serves; {@code /readyz} says it should get
 * traffic: the database answers, migrations are applied, and it is not shutting down.
 */
public final class Health {
    private final Database db;
    private volatile boolean migrated;
    private volatile boolean stopping;

    public Health(Database db) {
        this.db = db;
    }

    public void markMigrated() {
        migrated = true;
    }

    /** Called first on SIGTERM so a load balancer stops sending new work while in-flight requests finish. */
    public void markStopping() {
        stopping = true;
    }

    public void addRoutes(Router router) {
        router.add("GET", "/healthz", r -> ApiResponse.ok(Json.object().put("status", "ok")));
        router.add("GET", "/readyz", r -> readiness());
    }

    private ApiResponse readiness() {
        boolean dbOk = db.ping();
        ObjectNode checks = Json.object()
                .put("database", dbOk ? "ok" : "unreachable")
                .put("migrations", migrated ? "ok" : "pending")
                .put("shutdown", stopping ? "in progress" : "no");
        boolean ready = dbOk && migrated && !stopping;
        ObjectNode body = Json.object().put("status", ready ? "ready" : "not ready");
        body.set("checks", checks);
        return ApiResponse.of(ready ? 200 : 503, body);
    }
}

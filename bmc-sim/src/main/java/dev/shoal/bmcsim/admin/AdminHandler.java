package dev.shoal.bmcsim.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.SimulatedBmc;
import dev.shoal.bmcsim.faults.FaultPlan;
import dev.shoal.bmcsim.faults.FaultPlanJson;
import dev.shoal.bmcsim.http.HttpReply;
import dev.shoal.bmcsim.http.JettyIo;
import dev.shoal.bmcsim.http.Json;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The simulator's control plane, on its own listener so no Redfish client ever stumbles on it:
 * <pre>
 * GET  /bmcs                 {"bmcs": [{"name", "personality", "baseUrl", "up", "username", "password"}]}
 * GET  /bmcs/{name}/state    the BMC's state (StateJson)
 * GET  /bmcs/{name}/faults   the current fault plan (FaultPlanJson)
 * POST /bmcs/{name}/faults   replace the fault plan; answers the new plan
 * POST /bmcs/{name}/reset    power off, eject, clear override, pending settings and log; answers the state
 * </pre>
 * Errors are {@code {"error": {"code", "message"}}}, as everywhere in Shoal outside Redfish.
 */
public final class AdminHandler extends Handler.Abstract {
    private final Map<String, SimulatedBmc> bmcs;
    private final Predicate<String> isAdminConnector;

    public AdminHandler(List<SimulatedBmc> bmcs, Predicate<String> isAdminConnector) {
        this.bmcs = new java.util.LinkedHashMap<>();
        bmcs.forEach(b -> this.bmcs.put(b.name(), b));
        this.isAdminConnector = isAdminConnector;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!isAdminConnector.test(request.getConnectionMetaData().getConnector().getName())) {
            return false;
        }
        HttpReply reply;
        try {
            reply = route(request);
        } catch (IllegalArgumentException e) {
            reply = error(400, "bad_request", e.getMessage());
        }
        JettyIo.write(request, response, callback, reply);
        return true;
    }

    private HttpReply route(Request request) {
        String path = request.getHttpURI().getDecodedPath();
        String method = request.getMethod().equals("HEAD") ? "GET" : request.getMethod();
        String[] p = path == null ? new String[0] : path.replaceAll("/+$", "").split("/");
        if (p.length == 2 && p[1].equals("bmcs")) {
            if (!method.equals("GET")) {
                return notAllowed("GET");
            }
            ArrayNode list = Json.array();
            for (SimulatedBmc b : bmcs.values()) {
                // The account is listed on purpose: this is a test tool, and peers (sushy, redfishtool) need it.
                list.add(Json.object().put("name", b.name()).put("personality", b.personality().name())
                        .put("baseUrl", b.baseUri().toString()).put("up", b.state().up())
                        .put("username", b.credentials().username()).put("password", b.credentials().password()));
            }
            return HttpReply.json(200, Json.object().set("bmcs", list));
        }
        if (p.length < 3 || !p[1].equals("bmcs")) {
            return error(404, "not_found", "no such endpoint: " + path + " (try GET /bmcs)");
        }
        SimulatedBmc bmc = bmcs.get(p[2]);
        if (bmc == null) {
            return error(404, "not_found", "no BMC named " + p[2] + "; known: " + String.join(", ", bmcs.keySet()));
        }
        String what = p.length == 3 ? "state" : p.length == 4 ? p[3] : "";
        switch (what) {
            case "state" -> {
                return method.equals("GET") ? HttpReply.json(200, StateJson.toJson(bmc.state())) : notAllowed("GET");
            }
            case "faults" -> {
                if (method.equals("GET")) {
                    return HttpReply.json(200, FaultPlanJson.toJson(bmc.faults()));
                }
                if (!method.equals("POST") && !method.equals("PUT")) {
                    return notAllowed("GET, POST, PUT");
                }
                FaultPlan plan = FaultPlanJson.parse(body(request));
                bmc.faults(plan);
                return HttpReply.json(200, FaultPlanJson.toJson(bmc.faults()));
            }
            case "reset" -> {
                if (!method.equals("POST")) {
                    return notAllowed("POST");
                }
                bmc.reset();
                return HttpReply.json(200, StateJson.toJson(bmc.state()));
            }
            default -> {
                return error(404, "not_found", "no such endpoint: " + path);
            }
        }
    }

    private static JsonNode body(Request request) {
        try {
            byte[] b = JettyIo.readBody(request);
            if (b.length == 0) {
                return Json.object();
            }
            return Json.tryParse(b).orElseThrow(() -> new IllegalArgumentException("request body is not valid JSON"));
        } catch (IOException e) {
            throw new IllegalArgumentException("request body could not be read: " + e.getMessage());
        }
    }

    private static HttpReply notAllowed(String allow) {
        return error(405, "method_not_allowed", "use " + allow).withHeader("Allow", allow);
    }

    private static HttpReply error(int status, String code, String message) {
        ObjectNode e = Json.object().put("code", code).put("message", message);
        return HttpReply.json(status, Json.object().set("error", e));
    }
}

package dev.shoal.controller.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.controller.jobs.JobRequestParser;
import dev.shoal.controller.jobs.JobState;
import dev.shoal.controller.testing.TestController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Holds the published OpenAPI document to the code: same operations, resolvable, a working example, honest statuses. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractTest {
    static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    static final Pattern PATH_PARAM = Pattern.compile("\\{([^}/]+)}");

    @TempDir
    static Path root;
    static TestController c;
    static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        c = TestController.local(root);
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(c.uri(OpenApi.PATH)).GET().build());
        assertThat(r.statusCode()).isEqualTo(200);
        doc = Json.parse(r.body());
        // log in once, so the credentials are known good before the throttling test sends wrong ones
        assertThat(c.get("/api/v1/jobs").statusCode()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (c != null) {
            c.close();
        }
    }

    static String key(String method, String template) {
        return method.toUpperCase() + " " + template;
    }

    static Set<String> documentedOperations() {
        Set<String> ops = new TreeSet<>();
        doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (HTTP_METHODS.contains(m)) {
                ops.add(key(m, p.getKey()));
            }
        }));
        return ops;
    }

    static JsonNode operation(String method, String template) {
        return doc.path("paths").path(template).path(method.toLowerCase());
    }

    static JsonNode resolve(JsonNode node) {
        for (int i = 0; i < 10 && node.has("$ref"); i++) {
            node = doc.at(node.path("$ref").asText().substring(1));
        }
        return node;
    }

    static Set<Integer> documentedStatuses(Router.Route r) {
        Set<Integer> statuses = new TreeSet<>();
        operation(r.method(), r.template()).path("responses").fieldNames().forEachRemaining(s -> statuses.add(Integer.parseInt(s)));
        return statuses;
    }

    static boolean documentedAsOpen(Router.Route r) {
        JsonNode op = operation(r.method(), r.template());
        JsonNode security = op.has("security") ? op.path("security") : doc.path("security");
        return security.isArray() && security.isEmpty();
    }

    static List<Router.Route> routes() {
        return c.app().routes();
    }

    @Test
    @Order(1)
    void theDocumentIsServedWithoutCredentials() throws Exception {
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(c.uri("/api/v1/openapi.json")).GET().build());

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode d = Json.parse(r.body());
        assertThat(d.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(d.path("info").path("title").asText()).isNotBlank();
        assertThat(d.path("info").path("version").asText()).isNotBlank();
        assertThat(d).isEqualTo(OpenApi.document());
    }

    @Test
    @Order(1)
    void documentedOperationsAreExactlyTheRoutedEndpoints() {
        Set<String> routed = routes().stream().map(r -> key(r.method(), r.template())).collect(Collectors.toCollection(TreeSet::new));

        assertThat(routed).hasSizeGreaterThanOrEqualTo(8).contains("GET /api/v1/jobs/{id}", "POST /api/v1/jobs");
        assertThat(documentedOperations()).isEqualTo(routed);
        assertThat(routes()).extracting(r -> key(r.method(), r.template())).doesNotHaveDuplicates();
    }

    @Test
    @Order(1)
    void operationIdsAreUniqueAndPathParametersDeclared() {
        List<String> ids = new ArrayList<>();
        for (Router.Route r : routes()) {
            JsonNode op = operation(r.method(), r.template());
            ids.add(op.path("operationId").asText());
            Set<String> inTemplate = new HashSet<>();
            Matcher m = PATH_PARAM.matcher(r.template());
            while (m.find()) {
                inTemplate.add(m.group(1));
            }
            Set<String> declared = new HashSet<>();
            Stream.of(op.path("parameters"), doc.path("paths").path(r.template()).path("parameters"))
                    .flatMap(ps -> java.util.stream.StreamSupport.stream(ps.spliterator(), false))
                    .map(OpenApiContractTest::resolve)
                    .filter(p -> p.path("in").asText().equals("path"))
                    .forEach(p -> {
                        assertThat(p.path("required").asBoolean()).as("path parameter %s of %s is required", p.path("name"), r.template()).isTrue();
                        declared.add(p.path("name").asText());
                    });
            assertThat(declared).as("path parameters of %s", key(r.method(), r.template())).isEqualTo(inTemplate);
        }
        assertThat(ids).doesNotContain("").doesNotHaveDuplicates();
    }

    @Test
    @Order(1)
    void everyRefResolvesAndEveryComponentIsUsed() {
        Set<String> refs = new LinkedHashSet<>();
        collectRefs(doc, refs, 0);

        assertThat(refs).hasSizeGreaterThan(10);
        for (String ref : refs) {
            assertThat(ref).as("only local references").startsWith("#/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as("%s resolves", ref).isFalse();
            assertThat(doc.at(ref.substring(1)).isObject()).as("%s is an object", ref).isTrue();
        }
        Set<String> components = new TreeSet<>();
        for (String section : List.of("schemas", "responses", "parameters")) {
            doc.path("components").path(section).fieldNames().forEachRemaining(n -> components.add("#/components/" + section + "/" + n));
        }
        assertThat(refs).containsAll(components);
    }

    static void collectRefs(JsonNode node, Set<String> refs, int depth) {
        assertThat(depth).as("document nesting").isLessThan(64);
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collectRefs(e.getValue(), refs, depth + 1);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectRefs(n, refs, depth + 1));
        }
    }

    @Test
    @Order(1)
    void enumsMatchTheCode() {
        JsonNode schemas = doc.path("components").path("schemas");
        Set<String> vendors = new TreeSet<>();
        schemas.path("ServerRequest").path("properties").path("vendor").path("enum").forEach(v -> vendors.add(v.asText()));
        assertThat(vendors).isEqualTo(new TreeSet<>(JobRequestParser.VENDORS));

        Set<String> states = new TreeSet<>();
        schemas.path("Job").path("properties").path("state").path("enum").forEach(v -> states.add(v.asText()));
        assertThat(states).isEqualTo(Arrays.stream(JobState.values()).map(JobState::wire).collect(Collectors.toCollection(TreeSet::new)));
    }

    static JsonNode example() {
        return operation("post", "/api/v1/jobs").path("requestBody").path("content").path("application/json").path("example");
    }

    static Set<String> names(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    @Order(2)
    void theRequestExampleIsAcceptedAndTheAnswerHasTheDocumentedShape() throws Exception {
        JsonNode example = example();
        assertThat(example.isObject()).isTrue();
        JsonNode schemas = doc.path("components").path("schemas");
        // the example uses only fields the (closed) schemas declare
        assertThat(names(schemas.path("JobRequest").path("properties"))).containsAll(names(example));
        assertThat(names(schemas.path("ServerRequest").path("properties"))).containsAll(names(example.path("server")));
        assertThat(names(schemas.path("ImageRecipe").path("properties"))).containsAll(names(example.path("recipe")));
        assertThat(names(schemas.path("RootDevice").path("properties"))).containsAll(names(example.path("recipe").path("root_device")));
        assertThat(names(schemas.path("ConfigDrive").path("properties"))).containsAll(names(example.path("recipe").path("config_drive")));

        HttpResponse<String> r = c.post("/api/v1/jobs", Json.text(example));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(r.headers().firstValue("Location")).isPresent();
        JsonNode job = Json.parse(r.body());
        Set<String> required = new TreeSet<>();
        schemas.path("Job").path("required").forEach(n -> required.add(n.asText()));
        assertThat(names(job)).isEqualTo(required);
        assertThat(names(schemas.path("Job").path("properties"))).isEqualTo(required);
        assertThat(names(schemas.path("Server").path("properties"))).isEqualTo(names(job.path("server")));
        assertThat(names(job.path("links"))).isEqualTo(names(schemas.path("Job").path("properties").path("links").path("properties")));

        JsonNode events = Json.parse(c.get(job.path("links").path("events").asText()).body());
        JsonNode eventsSchema = operation("get", "/api/v1/jobs/{id}/events").path("responses").path("200").path("content")
                .path("application/json").path("schema");
        assertThat(names(events)).isEqualTo(names(eventsSchema.path("properties")));
        JsonNode event = events.path("items").get(0);
        assertThat(names(schemas.path("JobEvent").path("properties"))).isEqualTo(names(event));
        schemas.path("JobEvent").path("required").forEach(n -> assertThat(event.has(n.asText())).isTrue());

        JsonNode list = Json.parse(c.get("/api/v1/jobs").body());
        JsonNode listSchema = operation("get", "/api/v1/jobs").path("responses").path("200").path("content")
                .path("application/json").path("schema");
        assertThat(names(list)).isEqualTo(names(listSchema.path("properties")));
    }

    @Test
    @Order(2)
    void documentedLimitsAreTheEnforcedOnes() throws Exception {
        JsonNode limit = null;
        for (JsonNode p : operation("get", "/api/v1/jobs").path("parameters")) {
            if (resolve(p).path("name").asText().equals("limit")) {
                limit = resolve(p).path("schema");
            }
        }
        assertThat(limit).isNotNull();
        int max = limit.path("maximum").asInt();
        int min = limit.path("minimum").asInt();
        assertThat(c.get("/api/v1/jobs?limit=" + max).statusCode()).isEqualTo(200);
        assertThat(c.get("/api/v1/jobs?limit=" + min).statusCode()).isEqualTo(200);
        assertThat(c.get("/api/v1/jobs?limit=" + (max + 1)).statusCode()).isEqualTo(400);
        assertThat(c.get("/api/v1/jobs?limit=" + (min - 1)).statusCode()).isEqualTo(400);
    }

    // ---- statuses: what the code answers must be documented for that operation ----

    static final Map<String, Set<Integer>> observed = new TreeMap<>();

    static HttpResponse<String> probe(Router.Route route, String path, String body, String contentType, String authorization)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(c.uri(path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        b.method(route.method(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = c.send(b.build());
        observed.computeIfAbsent(key(route.method(), route.template()), k -> new TreeSet<>()).add(r.statusCode());
        if (r.statusCode() >= 400) {
            assertThat(Json.parse(r.body()).path("error").path("code").asText()).as(path + " " + r.body()).isNotBlank();
        }
        return r;
    }

    static void rawProbe(Router.Route route, String target, String body, String authorization) throws Exception {
        byte[] content = body == null ? new byte[0] : body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String head = route.method() + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Authorization: " + authorization + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + content.length + "\r\n\r\n";
        String response;
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", c.app().port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            s.getOutputStream().write(content);
            s.getOutputStream().flush();
            response = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(response).startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(response.substring(9, 12));
        observed.computeIfAbsent(key(route.method(), route.template()), k -> new TreeSet<>()).add(status);
        if (status >= 400) {
            String json = response.substring(response.indexOf("\r\n\r\n") + 4);
            assertThat(Json.parse(json).path("error").path("code").asText()).as(target + " " + response).isNotBlank();
        }
    }

    static String newJob() throws Exception {
        HttpResponse<String> r = c.post("/api/v1/jobs", Json.text(example()));
        assertThat(r.statusCode()).isEqualTo(201);
        return Json.parse(r.body()).path("id").asText();
    }

    static String concrete(Router.Route route, String id) {
        return route.template().replace("{id}", id);
    }

    static boolean isAuthenticated(Router.Route route) {
        return route.template().startsWith("/api/") && !route.template().equals(OpenApi.PATH);
    }

    /**
     * Agent callbacks authenticate with a per-job bearer token and a signature, not Basic auth: this test
     * cannot reach their success path (AgentCallbacksTest does) and the login throttle does not apply.
     */
    static boolean isAgentCallback(Router.Route route) {
        return route.template().contains("/agent/");
    }

    @Test
    @Order(3)
    void everyStatusTheCodeReturnsIsDocumented() throws Exception {
        String auth = c.authorization();
        String junkQuery = "?limit=0&after=-1&state=bogus&cursor=%21%21&x=%C3";
        for (Router.Route route : routes()) {
            String body = route.method().equals("POST") ? Json.text(example()) : null;
            String type = body == null ? null : "application/json";
            // without credentials
            probe(route, concrete(route, newJob()), body, type, null);
            probe(route, concrete(route, "nonexistent"), body, type, null);
            // the happy path, an unknown id, and a query full of bad values
            probe(route, concrete(route, newJob()), body, type, auth);
            probe(route, concrete(route, UUID.randomUUID().toString()), body, type, auth);
            probe(route, concrete(route, newJob()) + junkQuery, body, type, auth);
            // a query string that is not even valid %-encoding (the JDK client will not send one; a socket will)
            rawProbe(route, concrete(route, newJob()) + "?limit=%zz", body, auth);
            if (route.method().equals("POST")) {
                // twice on the same target: a second cancel conflicts
                String id = newJob();
                probe(route, concrete(route, id), body, type, auth);
                probe(route, concrete(route, id), body, type, auth);
            }
            if (operation(route.method(), route.template()).has("requestBody")) {
                probe(route, concrete(route, newJob()), "{}", "application/json", auth);
                probe(route, concrete(route, newJob()), "{\"server\": ", "application/json", auth);
                probe(route, concrete(route, newJob()), "", "application/json", auth);
                probe(route, concrete(route, newJob()), Json.text(example()), "text/plain", auth);
                if (!isAgentCallback(route)) {
                    // the agent endpoint refuses after 64 KiB and closes the upload (its own test covers 413)
                    probe(route, concrete(route, newJob()), " ".repeat((4 << 20) + 1), "application/json", auth);
                }
            }
        }

        for (Router.Route route : routes()) {
            String op = key(route.method(), route.template());
            Set<Integer> seen = observed.get(op);
            assertThat(seen).as("%s was probed", op).isNotEmpty();
            assertThat(documentedStatuses(route)).as("documented statuses of %s", op).containsAll(seen);
            if (!isAgentCallback(route)) {
                assertThat(seen).as("%s has a success status", op).anyMatch(s -> s >= 200 && s < 300);
            }
            if (isAuthenticated(route)) {
                assertThat(seen).as(op).contains(401);
                assertThat(documentedAsOpen(route)).as("%s is documented as needing credentials", op).isFalse();
            } else {
                assertThat(seen).as(op).doesNotContain(401);
                assertThat(documentedAsOpen(route)).as("%s is documented as open", op).isTrue();
            }
            if (route.template().contains("{id}") && !isAgentCallback(route)) {
                // (an agent asking about an unknown job gets 401, so job ids are not revealed)
                assertThat(seen).as(op).contains(404);
            }
        }
        // where there is validation, it shows
        assertThat(observed.get("POST /api/v1/jobs")).contains(400, 413, 415);
        assertThat(observed.get("GET /api/v1/jobs")).contains(400);
        assertThat(observed.get("GET /api/v1/jobs/{id}/events")).contains(400);
        assertThat(observed.get("POST /api/v1/jobs/{id}/cancel")).contains(409);
    }

    @Test
    @Order(4)
    void throttledLoginsAre429OnEveryAuthenticatedOperationAndDocumented() throws Exception {
        String wrong = TestController.basic(TestController.USER, "not-the-password");
        List<Router.Route> authenticated = routes().stream().filter(OpenApiContractTest::isAuthenticated)
                .filter(r -> !isAgentCallback(r)).toList();
        assertThat(authenticated).isNotEmpty();
        for (Router.Route route : authenticated) {
            String op = key(route.method(), route.template());
            HttpResponse<String> last = null;
            // failures past the free ones block the address for a while; the loop is bounded by that count
            for (int attempt = 0; attempt < 12; attempt++) {
                last = probe(route, concrete(route, UUID.randomUUID().toString()), null, null, wrong);
                if (last.statusCode() == 429) {
                    break;
                }
                assertThat(last.statusCode()).as(op).isEqualTo(401);
            }
            assertThat(last.statusCode()).as(op).isEqualTo(429);
            assertThat(last.headers().firstValue("Retry-After")).as(op).isPresent();
            assertThat(Json.parse(last.body()).path("error").path("code").asText()).isEqualTo("too_many_requests");
            assertThat(documentedStatuses(route)).as("documented statuses of %s", op).contains(429);
        }
        // the right credentials, already verified, still work while the address is throttled
        assertThat(c.get("/api/v1/jobs?limit=1").statusCode()).isEqualTo(200);
    }
}

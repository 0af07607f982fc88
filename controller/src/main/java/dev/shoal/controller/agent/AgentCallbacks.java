package dev.shoal.controller.agent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.http.ApiException;
import dev.shoal.controller.http.ApiRequest;
import dev.shoal.controller.http.ApiResponse;
import dev.shoal.controller.http.ErrorBody;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.http.Router;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /api/v1/jobs/{id}/agent/events}: the agent's signed callbacks (DESIGN.md, "Agent callbacks").
 *
 * <p>Checks, in this order, each failing without changing anything:
 * <ol>
 * <li>bearer token of this very job, else 401 {@code unauthorized}. An unknown job is also 401, not 404:
 *     an unauthenticated caller must not learn which job ids exist. The agent always knows its job exists.</li>
 * <li>{@code Content-Type: application/json} (415) and at most {@link #MAX_BODY} bytes (413). After the token,
 *     so an anonymous caller cannot make us read a body at all.</li>
 * <li>{@code X-Shoal-Signature} over the raw bytes, with a key from WEBHOOK_SECRET or
 *     WEBHOOK_SECRET_PREVIOUS, timestamp within 5 minutes: else 401 {@code invalid_signature}.</li>
 * <li>the body, field by field: 400 {@code malformed_json} / {@code invalid_request} naming the field.</li>
 * <li>{@code seq} above the last accepted one: else 409 {@code replayed}. An agent that retries after a lost
 *     response gets 409 replayed for a callback that was in fact recorded, and should treat it as done.</li>
 * </ol>
 * Then one write transaction records it (see AgentLedger) and the answer is
 * {@code 200 {"seq": n, "cancel_requested": bool}}, so the agent can stop early when an operator cancels.
 *
 * <p>No token, key or secret appears in a response, log line or event: refusals are logged with the job id
 * and a reason only, and this job's token and key are masked in anything the agent sends.
 */
public final class AgentCallbacks {
    public static final String EVENTS = "/api/v1/jobs/{id}/agent/events";
    /** Generous for one log line plus JSON, small enough that a flood of callbacks costs little memory. */
    public static final int MAX_BODY = 64 * 1024;
    /** How much of an oversized body is read (and dropped) so its sender can read the 413; beyond it, we close. */
    static final int DRAIN_LIMIT = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(AgentCallbacks.class);
    private static final String CHALLENGE = "Bearer realm=\"shoal-agent\"";

    private final AgentTokens tokens;
    private final AgentKeys keys;
    private final SignatureVerifier signatures;
    private final AgentLedger ledger;

    public AgentCallbacks(AgentTokens tokens, AgentKeys keys, SignatureVerifier signatures, AgentLedger ledger) {
        this.tokens = tokens;
        this.keys = keys;
        this.signatures = signatures;
        this.ledger = ledger;
    }

    public void addRoutes(Router router) {
        router.add("POST", EVENTS, this::events);
    }

    ApiResponse events(ApiRequest call) {
        String jobId = call.path("id");
        Request request = call.jetty();
        Optional<String> token = bearer(request.getHeaders().get(HttpHeader.AUTHORIZATION));
        if (token.isEmpty() || !tokens.verify(jobId, token.get())) {
            refused(jobId, token.isEmpty() ? "no bearer token" : "wrong token for this job");
            return unauthorized("unauthorized", "a valid agent bearer token for this job is required");
        }
        byte[] body = rawBody(request);
        Optional<String> bad = signatures.problem(jobId,
                Optional.ofNullable(request.getHeaders().get(AgentSigner.HEADER)), body);
        if (bad.isPresent()) {
            refused(jobId, bad.get());
            return unauthorized("invalid_signature", bad.get());
        }
        AgentEvent event = new Redaction(token.get(), keys.accepted(jobId)).apply(AgentEventParser.parse(Json.parse(body)));
        AgentLedger.Result result = ledger.record(jobId, event);
        if (result.refusal().isPresent()) {
            return switch (result.refusal().get()) {
                case NO_CREDENTIAL -> unauthorized("unauthorized", "a valid agent bearer token for this job is required");
                case REPLAYED -> throw new ApiException(409, "replayed", "seq " + event.seq()
                        + " is not above the last accepted seq " + result.lastSeq() + "; nothing was recorded");
                case JOB_ENDED -> throw new ApiException(409, "job_ended", "the job has ended; nothing was recorded");
                case OUTCOME_ALREADY_REPORTED -> throw new ApiException(409, "outcome_already_reported",
                        "this job's outcome was already reported; nothing was recorded");
            };
        }
        LOG.atDebug().addKeyValue("job_id", jobId).addKeyValue("seq", event.seq())
                .addKeyValue("type", event.type().wire()).log("agent callback recorded");
        ObjectNode reply = Json.object();
        reply.put("seq", event.seq());
        reply.put("cancel_requested", result.cancelRequested());
        return ApiResponse.ok(reply);
    }

    /** RFC 6750: the scheme is case-insensitive; a token is base64url, nothing else is worth a lookup. */
    static Optional<String> bearer(String header) {
        if (header == null || header.length() < 8 || !header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return Optional.empty();
        }
        String t = header.substring(7).strip();
        return t.matches("[A-Za-z0-9_-]{16,128}") ? Optional.of(t) : Optional.empty();
    }

    /** The exact bytes the agent signed: they must not go through a JSON parser before the signature check. */
    private static byte[] rawBody(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "send the body as Content-Type: application/json");
        }
        if (request.getLength() > MAX_BODY) {
            if (request.getLength() <= MAX_BODY + DRAIN_LIMIT) {
                try (InputStream in = Request.asInputStream(request)) {
                    drain(in);
                } catch (IOException e) {
                    // the answer is 413 either way
                }
            }
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = Request.asInputStream(request)) {
            body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                // Read on (a bounded amount) before answering: a client still sending its body when the server
                // answers and closes sees a reset instead of the 413. Only a caller holding the job's token gets here.
                drain(in);
                throw tooLarge();
            }
        } catch (IOException e) {
            throw new ApiException(400, "bad_request", "request body could not be read");
        }
        if (body.length == 0) {
            throw new ApiException(400, "invalid_request", "request body is empty; send a JSON object");
        }
        return body;
    }

    private static void drain(InputStream in) throws IOException {
        byte[] sink = new byte[8192];
        long left = DRAIN_LIMIT;
        for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
            left -= n;
        }
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "payload_too_large", "request body is larger than " + MAX_BODY + " bytes");
    }

    /** A 401 carries WWW-Authenticate (RFC 9110 §11.6.1), so it is returned rather than thrown. */
    private static ApiResponse unauthorized(String code, String message) {
        return ApiResponse.of(401, ErrorBody.of(new ApiException(401, code, message)))
                .withHeader(HttpHeader.WWW_AUTHENTICATE.asString(), CHALLENGE);
    }

    private static void refused(String jobId, String reason) {
        LOG.atInfo().addKeyValue("job_id", jobId.length() > 64 ? jobId.substring(0, 64) : jobId)
                .addKeyValue("reason", reason).log("agent callback refused");
    }
}

package dev.shoal.controller.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.controller.http.ApiException;
import dev.shoal.controller.http.ApiException.FieldError;
import dev.shoal.controller.agent.AgentEvent.Progress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a callback body and names every bad field, as JobRequestParser does for jobs. Unknown fields are
 * errors, for the same reason: a misspelt field silently ignored would lose what the agent meant to say.
 * An over-long message is cut rather than refused: refusing would lose the whole log line.
 */
final class AgentEventParser {
    /** Longest message kept, in characters; a log line longer than this is truncated. */
    static final int MAX_MESSAGE = 4096;
    static final Pattern STEP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final Set<String> FIELDS = Set.of("seq", "type", "step", "message", "progress");

    private final List<FieldError> problems = new ArrayList<>();

    private AgentEventParser() {
    }

    static AgentEvent parse(JsonNode body) {
        return new AgentEventParser().event(body);
    }

    private AgentEvent event(JsonNode body) {
        if (!body.isObject()) {
            throw ApiException.badRequest("(body)", "must be a JSON object");
        }
        body.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                problems.add(new FieldError(f, "is not a known field (known: message, progress, seq, step, type)"));
            }
        });
        long seq = seq(body.get("seq"));
        AgentEventType type = type(body.get("type"));
        Optional<String> step = step(body.get("step"));
        JsonNode m = body.get("message");
        Optional<String> message = Optional.empty();
        boolean truncated = false;
        if (m != null && !m.isNull()) {
            if (!m.isTextual()) {
                problems.add(new FieldError("message", "must be a string"));
            } else {
                String text = m.asText();
                truncated = text.length() > MAX_MESSAGE;
                message = Optional.of(truncated ? text.substring(0, MAX_MESSAGE) : text);
            }
        }
        if (type == AgentEventType.LOG && message.map(String::isEmpty).orElse(true) && !hasProblem("message")) {
            problems.add(new FieldError("message", "is required for a log event"));
        }
        Optional<Progress> progress = progress(body.get("progress"));
        if (type == AgentEventType.PROGRESS && progress.isEmpty() && !hasProblem("progress")) {
            problems.add(new FieldError("progress", "is required for a progress event"));
        }
        if (!problems.isEmpty()) {
            FieldError first = problems.getFirst();
            throw new ApiException(400, "invalid_request", first.field() + ": " + first.message(), problems);
        }
        return new AgentEvent(seq, type, step, message, truncated, progress);
    }

    private long seq(JsonNode n) {
        // At most 2^53 so an agent in any language (JavaScript included) can count exactly.
        if (n == null || n.isNull()) {
            problems.add(new FieldError("seq", "is required: a positive integer, larger for each callback"));
        } else if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 1 || n.asLong() > (1L << 53)) {
            problems.add(new FieldError("seq", "must be an integer between 1 and 2^53"));
        } else {
            return n.asLong();
        }
        return 0;
    }

    private AgentEventType type(JsonNode n) {
        String allowed = "heartbeat, progress, log, succeeded or failed";
        if (n == null || n.isNull()) {
            problems.add(new FieldError("type", "is required: " + allowed));
            return null;
        }
        Optional<AgentEventType> t = n.isTextual() ? AgentEventType.fromWire(n.asText()) : Optional.empty();
        if (t.isEmpty()) {
            problems.add(new FieldError("type", "must be one of " + allowed));
        }
        return t.orElse(null);
    }

    private Optional<String> step(JsonNode n) {
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual() || !STEP.matcher(n.asText()).matches()) {
            problems.add(new FieldError("step", "must be 1 to 64 characters of letters, digits and . _ : -"));
            return Optional.empty();
        }
        return Optional.of(n.asText());
    }

    private Optional<Progress> progress(JsonNode n) {
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            problems.add(new FieldError("progress", "must be an object {\"done\": n, \"total\": n}"));
            return Optional.empty();
        }
        n.fieldNames().forEachRemaining(f -> {
            if (!f.equals("done") && !f.equals("total")) {
                problems.add(new FieldError("progress." + f, "is not a known field (known: done, total)"));
            }
        });
        Optional<Long> done = count(n.get("done"), "progress.done", true);
        Optional<Long> total = count(n.get("total"), "progress.total", false);
        if (done.isPresent() && total.isPresent() && done.get() > total.get()) {
            problems.add(new FieldError("progress.done", "must not be larger than progress.total"));
        }
        return done.map(d -> new Progress(d, total));
    }

    private Optional<Long> count(JsonNode n, String field, boolean required) {
        if (n == null || n.isNull()) {
            if (required) {
                problems.add(new FieldError(field, "is required"));
            }
            return Optional.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < 0) {
            problems.add(new FieldError(field, "must be a non-negative integer"));
            return Optional.empty();
        }
        return Optional.of(n.asLong());
    }

    private boolean hasProblem(String field) {
        return problems.stream().anyMatch(p -> p.field().equals(field));
    }
}

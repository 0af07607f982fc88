package dev.shoal.agent.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;
import java.util.OptionalLong;

/** One callback body: {@code {"seq","type","step","message","progress":{"done","total"}}}, absent fields left out. */
public record Event(long seq, EventType type, Optional<String> step, Optional<String> message,
                    Optional<Progress> progress) {
    /** The controller keeps at most this many characters of a message; longer ones are cut here already. */
    public static final int MAX_MESSAGE = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Progress(long done, OptionalLong total) {
    }

    public Event {
        message = message.map(m -> m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) : m);
    }

    /** The exact bytes sent and signed. */
    public byte[] toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("seq", seq);
        n.put("type", type.wire());
        step.ifPresent(s -> n.put("step", s));
        message.ifPresent(m -> n.put("message", m));
        progress.ifPresent(p -> {
            ObjectNode o = n.putObject("progress").put("done", p.done());
            p.total().ifPresent(t -> o.put("total", t));
        });
        try {
            return JSON.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of strings and numbers always serialises
        }
    }
}

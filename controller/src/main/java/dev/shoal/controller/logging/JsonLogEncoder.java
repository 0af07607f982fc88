package dev.shoal.controller.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.slf4j.event.KeyValuePair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * One JSON object per line, flat so that {@code journalctl -o cat | jq} reads it: time, level, logger,
 * msg, then the event's key-value pairs (SLF4J's fluent {@code addKeyValue}) as top-level fields. Message
 * arguments are rendered into msg only; nothing else about the call is dumped.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final byte[] NONE = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("msg", event.getFormattedMessage());
            if (event.getKeyValuePairs() != null) {
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    g.writeFieldName(kv.key);
                    if (kv.value instanceof Number n) {
                        g.writeNumber(n.toString());
                    } else if (kv.value instanceof Boolean b) {
                        g.writeBoolean(b);
                    } else {
                        g.writeString(String.valueOf(kv.value));
                    }
                }
            }
            if (event.getThrowableProxy() != null) {
                g.writeStringField("error", describe(event.getThrowableProxy()));
                g.writeStringField("stack", stack(event.getThrowableProxy()));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static String describe(IThrowableProxy t) {
        return t.getClassName() + ": " + t.getMessage();
    }

    private static String stack(IThrowableProxy t) {
        StringBuilder sb = new StringBuilder();
        for (IThrowableProxy p = t; p != null; p = p.getCause()) {
            if (p != t) {
                sb.append("caused by ").append(describe(p)).append('\n');
            }
            for (StackTraceElementProxy e : p.getStackTraceElementProxyArray()) {
                sb.append("  at ").append(e.getStackTraceElement()).append('\n');
            }
        }
        return sb.toString();
    }
}

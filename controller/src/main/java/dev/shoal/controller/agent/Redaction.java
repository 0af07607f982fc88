package dev.shoal.controller.agent;

import dev.shoal.controller.secrets.Secret;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks this job's own secrets in what the agent sends before it is stored as an event: an agent that logs
 * its task.json or a curl command line would otherwise put its token or key into the job's event log,
 * which operators read and which outlives the job.
 */
final class Redaction {
    private final List<Pattern> secrets = new ArrayList<>();

    Redaction(String token, List<JobKey> keys) {
        if (!token.isEmpty()) {
            secrets.add(Pattern.compile(Pattern.quote(token)));
        }
        // hex is case-insensitive: an agent may print the key in upper case
        keys.forEach(k -> secrets.add(Pattern.compile(Pattern.quote(k.hex()), Pattern.CASE_INSENSITIVE)));
    }

    AgentEvent apply(AgentEvent e) {
        return new AgentEvent(e.seq(), e.type(), e.step().map(this::mask), e.message().map(this::mask),
                e.messageTruncated(), e.progress());
    }

    String mask(String text) {
        String out = text;
        for (Pattern p : secrets) {
            out = p.matcher(out).replaceAll(Matcher.quoteReplacement(Secret.MASK));
        }
        return out;
    }
}

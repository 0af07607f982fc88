package dev.shoal.controller.media;

import java.time.Instant;
import java.util.Optional;

/**
 * What retention needs to know of a job. Three cases, not an {@code Optional<Instant>}: "no such job" and "not
 * ended yet" must not look alike, since one is deleted and the other never touched.
 */
public sealed interface JobStatus {
    record Unknown() implements JobStatus {
    }

    record Running() implements JobStatus {
    }

    record Ended(Instant at) implements JobStatus {
    }

    /** From a job store lookup: {@code jobs.get(id).map(Job::endedAt)}. */
    public static JobStatus of(Optional<Optional<Instant>> found) {
        return found.<JobStatus>map(ended -> ended.<JobStatus>map(Ended::new).orElseGet(Running::new)).orElseGet(Unknown::new);
    }
}

package dev.shoal.agent.image;

import java.util.OptionalLong;

/** Told how many bytes of the served image have been downloaded, of {@code total} if the server said. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    void progress(long done, OptionalLong total);
}

package dev.shoal.controller.engine;

import java.util.Optional;
import java.util.stream.Stream;

/**
 * The persisted steps of a job, in order. {@code start} waits for the server to be free; {@code await-agent} waits
 * for the maintenance OS to report. Neither holds a worker: the engine's scheduler and {@link AgentWatch} move them
 * on. The others are idempotent BMC or disk work, run by a worker under a lease, so a step cut short by a crash is
 * simply run again.
 */
public enum Step {
    START("start", false),
    PREPARE_TASK("prepare-task", true),
    BOOT_ISO("boot-iso", true),
    AWAIT_AGENT("await-agent", false),
    FINISH("finish", true),
    CLEANUP("cleanup", true);

    private final String wire;
    private final boolean needsWorker;

    Step(String wire, boolean needsWorker) {
        this.wire = wire;
        this.needsWorker = needsWorker;
    }

    public String wire() {
        return wire;
    }

    public boolean needsWorker() {
        return needsWorker;
    }

    public static Optional<Step> fromWire(String s) {
        return Stream.of(values()).filter(v -> v.wire.equals(s)).findFirst();
    }

    /** For SQL: the steps a worker runs, as a quoted list. */
    static String workerStepsSql() {
        return String.join(", ", Stream.of(values()).filter(Step::needsWorker).map(s -> "'" + s.wire + "'").toList());
    }
}

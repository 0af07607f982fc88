package dev.shoal.controller.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.http.Json;
import dev.shoal.controller.jobs.Job;
import dev.shoal.controller.jobs.JobState;
import dev.shoal.controller.jobs.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Moves jobs through DESIGN.md's lifecycle. One scheduler thread, waking every tick (or when told), does three
 * cheap things: judges the jobs waiting for their agent, starts queued jobs whose server is free (unless draining),
 * and hands runnable steps to workers, never more at once than the worker limit. Workers are virtual threads that
 * hold a lease on their step (renewed while it runs) and apply the state table below when it ends.
 *
 * <pre>
 * state         step          on success                         on failure
 * queued        start         → provisioning / prepare-task      (waits while the server is busy or draining)
 * provisioning  prepare-task  → boot-iso                         → failed (nothing touched the server yet)
 * provisioning  boot-iso      → await-agent                      → cleanup, then failed
 * provisioning  await-agent   agent succeeded → succeeded/finish agent failed, silent, stuck → cleanup, then failed
 * succeeded     finish        → complete (secrets erased)        → cleanup, then failed
 * any           cleanup       → the ending: failed or cancelled  → the ending all the same (noted)
 * cancel: a queued job ends at once; a running step finishes first, then cleanup, then cancelled.
 * </pre>
 */
public final class JobEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobEngine.class);
    /**
     * How long a stop waits for running steps. Short: with the HTTP server's 30 s it must stay within systemd's
     * TimeoutStopSec=45, and a step cut short is only re-run after the next start.
     */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final JobTable table;
    private final JobStore jobs;
    private final Map<Step, StepAction> actions;
    private final AgentWatch watch;
    private final EngineSettings settings;
    private final InstantSource clock;
    private final String owner;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-step-", 0).factory());
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile int concurrency;
    private volatile boolean draining;
    private volatile boolean stopping;
    private boolean woken;
    private Thread scheduler;
    private long lastRenewal;
    private volatile java.time.Instant startedAt = java.time.Instant.EPOCH;

    public JobEngine(JobTable table, JobStore jobs, Map<Step, StepAction> actions, AgentWatch watch,
                     EngineSettings settings, InstantSource clock, String owner, int concurrency, boolean draining) {
        this.table = table;
        this.jobs = jobs;
        this.actions = Map.copyOf(actions);
        this.watch = watch;
        this.settings = settings;
        this.clock = clock;
        this.owner = owner;
        this.concurrency = concurrency;
        this.draining = draining;
    }

    public synchronized void start() {
        if (scheduler != null) {
            throw new IllegalStateException("already started");
        }
        startedAt = clock.instant();
        scheduler = Thread.ofPlatform().name("job-scheduler").daemon().start(this::loop);
        LOG.atInfo().addKeyValue("owner", owner).addKeyValue("workers", concurrency).addKeyValue("draining", draining)
                .log("job engine started");
    }

    /** Runs the scheduler now instead of at the next tick, e.g. after a job was posted. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public void setConcurrency(int workers) {
        if (workers < 0) {
            throw new IllegalArgumentException("worker concurrency must not be negative");
        }
        concurrency = workers;
        wake();
    }

    public void setDraining(boolean on) {
        draining = on;
        wake();
    }

    public record Status(boolean draining, int workerConcurrency, int stepsRunning, Map<JobState, Long> jobs, String owner) {
        /** Draining, or WORKER_CONCURRENCY=0: no queued job is started. */
        public boolean pickingNewJobs() {
            return !draining && workerConcurrency > 0;
        }
    }

    public Status status() {
        return new Status(draining, concurrency, running.size(), table.counts(), owner);
    }

    public int stepsRunning() {
        return running.size();
    }

    public boolean draining() {
        return draining;
    }

    public Map<JobState, Long> jobCounts() {
        return table.counts();
    }

    private void loop() {
        while (!stopping) {
            try {
                tick();
            } catch (RuntimeException e) {
                LOG.warn("job scheduler pass failed; trying again at the next tick", e);
            }
            pause();
        }
    }

    private void pause() {
        lock.lock();
        try {
            if (!woken && !stopping) {
                wake.await(settings.tick().toMillis(), TimeUnit.MILLISECONDS);
            }
            woken = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        } finally {
            lock.unlock();
        }
    }

    void tick() {
        judgeAwaitingJobs();
        if (!draining && concurrency > 0) {
            for (String id : table.startable(100)) {
                table.start(id, settings.jobLifetime());
            }
        }
        dispatch();
        renewLeases();
    }

    /**
     * Time the controller was down does not count against an agent: it may have been calling back into a closed port
     * (it retries for about a minute), so every clock of a waiting job starts no earlier than this engine did.
     */
    private void judgeAwaitingJobs() {
        for (AwaitingJob job : table.awaiting()) {
            switch (watch.judge(job.notBefore(startedAt), clock.instant())) {
                case AgentWatch.Verdict.Wait w -> { }
                case AgentWatch.Verdict.Succeeded s -> table.agentSucceeded(job.id(), s.message());
                case AgentWatch.Verdict.Failed f -> table.agentEnded(job.id(), JobState.FAILED,
                        Optional.of(error(f.step(), f.reason(), Optional.empty())), f.reason());
                case AgentWatch.Verdict.Cancel c -> table.agentEnded(job.id(), JobState.CANCELLED, Optional.empty(),
                        "cancel requested: stopping the agent's work");
            }
        }
    }

    /**
     * Steps in progress never exceed the worker limit. With WORKER_CONCURRENCY=0 (a drain through the config) no job
     * starts, but jobs already started still get one worker, so that they finish as a drain promises.
     */
    private void dispatch() {
        int limit = Math.max(concurrency, 1);
        int free = limit - running.size();
        if (free <= 0 || stopping) {
            return;
        }
        for (String id : table.runnable(free + running.size())) {
            if (free <= 0) {
                break;
            }
            if (running.contains(id)) {
                continue;
            }
            Optional<Lease> lease = table.claim(id, owner, settings.leaseTtl());
            if (lease.isPresent()) {
                running.add(id);
                free--;
                workers.execute(() -> runStep(lease.get()));
            }
        }
    }

    private void renewLeases() {
        long now = clock.millis();
        if (now - lastRenewal >= settings.leaseTtl().toMillis() / 3) {
            table.renew(owner, Set.copyOf(running), settings.leaseTtl());
            lastRenewal = now;
        }
    }

    private void runStep(Lease lease) {
        try {
            Optional<Job> job = jobs.get(lease.jobId());
            if (job.isEmpty()) {
                return;
            }
            if (lease.attempt() > settings.maxStepAttempts()) {
                failed(lease, new StepFailure(lease.step().wire() + " was started " + settings.maxStepAttempts()
                        + " times without finishing (the controller stopped or crashed during it each time)"));
                return;
            }
            String message;
            try {
                message = actions.get(lease.step()).run(job.get(), new StepEvents(table, lease.jobId()));
            } catch (StepFailure f) {
                failed(lease, f);
                return;
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("job_id", lease.jobId()).addKeyValue("step", lease.step().wire())
                        .setCause(e).log("job step failed unexpectedly");
                failed(lease, new StepFailure("internal error: " + e, Optional.empty(), e));
                return;
            }
            succeeded(lease, message);
        } catch (RuntimeException e) {
            // the database itself failed: the lease runs out and the step is tried again
            LOG.atError().addKeyValue("job_id", lease.jobId()).setCause(e).log("could not record a job step's end");
        } finally {
            running.remove(lease.jobId());
            wake();
        }
    }

    /** The state table's "on success" column. */
    private void succeeded(Lease l, String message) {
        boolean cancel = table.cancelRequested(l.jobId());
        switch (l.step()) {
            case PREPARE_TASK -> {
                if (cancel) {
                    table.end(l, JobState.CANCELLED, Optional.empty(), "cancel requested before the server was touched");
                } else {
                    table.advance(l, Step.BOOT_ISO, Optional.empty(), message);
                }
            }
            case BOOT_ISO -> {
                if (cancel) {
                    table.toCleanup(l, JobState.CANCELLED, Optional.empty(), message + "; cancel requested, cleaning up");
                } else {
                    table.advance(l, Step.AWAIT_AGENT, Optional.empty(), message);
                }
            }
            case FINISH -> table.end(l, JobState.COMPLETE, Optional.empty(), message);
            case CLEANUP -> table.end(l, table.ending(l.jobId()).orElse(JobState.FAILED), Optional.empty(), message);
            case START, AWAIT_AGENT -> throw new IllegalStateException(l.step() + " has no worker");
        }
    }

    /** The state table's "on failure" column. */
    private void failed(Lease l, StepFailure f) {
        JsonNode error = error(l.step().wire(), f.getMessage(), f.bmcMessage());
        LOG.atInfo().addKeyValue("job_id", l.jobId()).addKeyValue("step", l.step().wire()).log("job step failed");
        if (f.serverUntouched() && l.step() != Step.CLEANUP) {
            table.end(l, JobState.FAILED, Optional.of(error), f.getMessage() + "; the server was not touched");
            return;
        }
        switch (l.step()) {
            case PREPARE_TASK -> table.end(l, JobState.FAILED, Optional.of(error), f.getMessage());
            case BOOT_ISO, FINISH -> table.toCleanup(l, JobState.FAILED, Optional.of(error), f.getMessage());
            case CLEANUP -> table.end(l, table.ending(l.jobId()).orElse(JobState.FAILED), Optional.empty(),
                    "clean-up could not finish (" + f.getMessage() + "); power the server off and eject its media by hand");
            case START, AWAIT_AGENT -> throw new IllegalStateException(l.step() + " has no worker");
        }
    }

    private static JsonNode error(String step, String message, Optional<String> bmcMessage) {
        ObjectNode e = Json.object();
        e.put("step", step);
        e.put("message", message);
        e.put("bmc_message", bmcMessage.orElse(null));
        return e;
    }

    /**
     * Stops picking work, lets running steps finish for up to {@code grace}, then gives back the leases of steps
     * that did not, so the next start resumes them at once instead of waiting for the leases to expire.
     */
    public void stop(Duration grace) {
        stopping = true;
        wake();
        Thread s;
        synchronized (this) {
            s = scheduler;
        }
        if (s != null) {
            try {
                s.join(Math.max(1, settings.tick().toMillis() * 4));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.atWarn().addKeyValue("steps", List.copyOf(running)).log("steps still running at shutdown; another start resumes them");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!running.isEmpty()) {
            workers.shutdownNow();
        }
        table.release(owner);
    }

    @Override
    public void close() {
        stop(STOP_GRACE);
    }
}

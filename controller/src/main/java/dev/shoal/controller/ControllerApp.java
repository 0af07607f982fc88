package dev.shoal.controller;

import dev.shoal.controller.agent.AgentCallbacks;
import dev.shoal.controller.agent.AgentKeys;
import dev.shoal.controller.agent.AgentLedger;
import dev.shoal.controller.agent.AgentPathHandler;
import dev.shoal.controller.agent.AgentTokens;
import dev.shoal.controller.agent.SignatureVerifier;
import dev.shoal.controller.auth.BasicAuthHandler;
import dev.shoal.controller.auth.CredentialCache;
import dev.shoal.controller.auth.LoginThrottle;
import dev.shoal.controller.config.AuthMode;
import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.config.Durations;
import dev.shoal.controller.engine.EngineApi;
import dev.shoal.controller.engine.EngineMetrics;
import dev.shoal.controller.engine.EngineSettings;
import dev.shoal.controller.engine.Engines;
import dev.shoal.controller.engine.JobEngine;
import dev.shoal.controller.engine.JobTable;
import dev.shoal.controller.health.Health;
import dev.shoal.controller.http.HttpServer;
import dev.shoal.controller.http.NotFoundHandler;
import dev.shoal.controller.http.OpenApi;
import dev.shoal.controller.http.Router;
import dev.shoal.controller.http.SecurityHeadersHandler;
import dev.shoal.controller.http.UnreadBodyHandler;
import dev.shoal.controller.jobs.JobIds;
import dev.shoal.controller.jobs.JobStore;
import dev.shoal.controller.jobs.JobsApi;
import dev.shoal.controller.logging.Logging;
import dev.shoal.controller.jobs.Job;
import dev.shoal.controller.media.JobStatus;
import dev.shoal.controller.media.MediaHandlers;
import dev.shoal.controller.media.RetentionSchedule;
import dev.shoal.controller.media.TaskIsoRetention;
import dev.shoal.controller.media.UrlSigner;
import dev.shoal.controller.metrics.HttpMetricsHandler;
import dev.shoal.controller.metrics.Metrics;
import dev.shoal.controller.metrics.MetricsHandler;
import dev.shoal.controller.registry.HtpasswdUsers;
import dev.shoal.controller.registry.JobPullCredentials;
import dev.shoal.controller.registry.RegistryAuthHandler;
import dev.shoal.controller.registry.RegistryGc;
import dev.shoal.controller.registry.RegistryGcMetrics;
import dev.shoal.controller.registry.RegistryGcSchedule;
import dev.shoal.registry.api.RegistryHandler;
import dev.shoal.registry.storage.FsBlobStore;
import dev.shoal.controller.secrets.KeyBinding;
import dev.shoal.controller.secrets.KeyFile;
import dev.shoal.controller.secrets.LocalBootstrap;
import dev.shoal.controller.secrets.SecretBox;
import dev.shoal.controller.store.AtomicFiles;
import dev.shoal.controller.store.Database;
import dev.shoal.controller.store.Migrations;
import org.eclipse.jetty.http.pathmap.PathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Wires the controller together, once, at start-up; the only place that knows every part. */
public final class ControllerApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerApp.class);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    static final Duration ENGINE_TICK = Duration.ofMillis(250);
    /** Where a local controller finds a maintenance ISO when MAINTENANCE_ISO_URL is not set. */
    public static final String DEFAULT_MAINTENANCE_ISO = "maintenance.iso";

    private final ControllerConfig config;
    private final Metrics metrics;
    private final Database db;
    private final Health health;
    private final HttpServer http;
    private final List<Router.Route> routes;
    private final RetentionSchedule retention;
    private final Optional<RegistryGcSchedule> registryGc;
    private final JobEngine engine;
    private final URI controllerUrl;
    private final Optional<RegistryAuthHandler> registryAuth;
    private volatile ControllerConfig loaded;
    private volatile boolean closed;

    private ControllerApp(ControllerConfig config, Metrics metrics, Database db, Health health, HttpServer http,
                          List<Router.Route> routes, RetentionSchedule retention, JobEngine engine, URI controllerUrl,
                          Optional<RegistryAuthHandler> registryAuth, Optional<RegistryGcSchedule> registryGc) {
        this.registryAuth = registryAuth;
        this.registryGc = registryGc;
        this.config = config;
        this.loaded = config;
        this.engine = engine;
        this.controllerUrl = controllerUrl;
        this.metrics = metrics;
        this.db = db;
        this.health = health;
        this.http = http;
        this.routes = routes;
        this.retention = retention;
    }

    public static ControllerApp start(ControllerConfig given, PrintStream console) throws Exception {
        Logging.setLevel(given.logLevel());
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        ControllerConfig config = new LocalBootstrap(random, console).complete(given);
        prepareDirectories(config);

        Path keyFile = config.paths().keysDir().resolve("secrets.key");
        SecretBox box = new SecretBox(KeyFile.loadOrCreate(keyFile, random), random);
        Metrics metrics = new Metrics();
        Database db = Database.open(config.paths().dbPath(), Optional.of(metrics.registry()));
        try {
            Migrations.Status schema = new Migrations(db).migrate();
            KeyBinding.check(db.jdbi(), box, keyFile);
            Health health = new Health(db);
            health.markMigrated();

            JobStore jobs = new JobStore(db, box, new JobIds(clock, random), clock);
            Router api = new Router();
            new JobsApi(jobs).addRoutes(api);
            AgentKeys agentKeys = AgentKeys.from(config.secrets());
            AgentTokens agentTokens = new AgentTokens(db, random, clock);
            // the engine needs the bound port for its URLs, so it is built now and started once the listener is up
            AtomicReference<JobEngine> engineRef = new AtomicReference<>();
            new EngineApi(engineRef::get).addRoutes(api);
            AgentLedger agentLedger = new AgentLedger(db, clock);
            Router agent = new Router();
            new AgentCallbacks(agentTokens, agentKeys, new SignatureVerifier(agentKeys, clock), agentLedger).addRoutes(agent);
            Router open = new Router();
            OpenApi.addRoute(open);
            health.addRoutes(open);

            PathMappingsHandler paths = new PathMappingsHandler();
            paths.addMapping(PathSpec.from(OpenApi.PATH), open);
            paths.addMapping(PathSpec.from("/healthz"), open);
            paths.addMapping(PathSpec.from("/readyz"), open);
            paths.addMapping(PathSpec.from("/metrics"), new MetricsHandler(metrics.registry()));
            // agents authenticate with their job's bearer token and signature, operators with Basic auth
            paths.addMapping(PathSpec.from("/api/*"), new AgentPathHandler(agent, authenticated(config, api, random, clock)));
            MediaHandlers.create(config, clock).addTo(paths);
            Optional<RegistryAuthHandler> registryAuth = Optional.empty();
            Optional<FsBlobStore> registryStore = Optional.empty();
            if (config.registry().enabled()) {
                registryStore = Optional.of(new FsBlobStore(config.registry().storage()));
                Handler registry = new RegistryHandler(registryStore.get());
                if (config.registry().authMode() == AuthMode.BASIC) {
                    RegistryAuthHandler auth = new RegistryAuthHandler(registry,
                            new HtpasswdUsers(config.registry().usersFile().orElseThrow(), clock), config.registry().pushUsers(),
                            new JobPullCredentials(db, random, clock),
                            new CredentialCache(random, clock, Duration.ofMinutes(10), 4096),
                            new LoginThrottle(clock, 5, Duration.ofMinutes(5), 100_000));
                    registryAuth = Optional.of(auth);
                    registry = auth;
                }
                paths.addMapping(PathSpec.from("/v2/*"), registry);
                paths.addMapping(PathSpec.from("/v2"), registry);
            }
            paths.addMapping(PathSpec.from("/"), new NotFoundHandler());
            Handler root = new SecurityHeadersHandler(new HttpMetricsHandler(new UnreadBodyHandler(paths), metrics.registry()),
                    config.tls().isPresent());

            HttpServer http = new HttpServer(config, root, STOP_TIMEOUT);
            http.start();
            URI controllerUrl = config.agents().controllerUrl().orElse(baseUri(config, http.port()));
            if (config.agents().controllerUrl().isEmpty() && config.mode() == dev.shoal.controller.config.Mode.PRODUCTION) {
                LOG.atWarn().addKeyValue("url", controllerUrl.toString()).log("CONTROLLER_URL is not set: BMCs and agents are "
                        + "given this URL, derived from CONTROLLER_HTTP_ADDR; set CONTROLLER_URL to the address they can reach");
            }
            EngineSettings engineSettings = new EngineSettings(controllerUrl, maintenanceIso(config, controllerUrl),
                    config.jobLeaseTtl(), config.jobStuckTimeout(), config.agents().heartbeatTimeout(),
                    config.agents().bootTimeout(), ENGINE_TICK, 3);
            JobEngine engine = Engines.create(config, engineSettings, jobs, new JobTable(db, clock), agentTokens, agentKeys,
                    new UrlSigner(config.secrets().signedUrl().orElseThrow()),
                    config.registry().enabled() ? Optional.of(new JobPullCredentials(db, random, clock)) : Optional.empty(),
                    clock, owner(random));
            engineRef.set(engine);
            EngineMetrics.bind(engine, metrics.registry());
            engine.start();
            List<Router.Route> routes = new ArrayList<>(open.routes());
            routes.addAll(api.routes());
            routes.addAll(agent.routes());
            // started last: nothing after it can fail and leave its timer running
            RetentionSchedule retention = new RetentionSchedule(new TaskIsoRetention(config.paths().taskIsoDir(),
                    config.jobRetentionDays(), id -> JobStatus.of(jobs.get(id).map(Job::endedAt)), clock),
                    Duration.ofMinutes(1), Duration.ofHours(6));
            ControllerConfig.RegistryGc gcSettings = config.registry().gc();
            Optional<RegistryGcSchedule> registryGc = registryStore.filter(s -> !gcSettings.interval().isZero())
                    .map(s -> new RegistryGcSchedule(new RegistryGc(s.garbageCollector(clock), gcSettings,
                            Optional.of(new RegistryGcMetrics(metrics.registry()))), gcSettings.interval()));
            ControllerApp app = new ControllerApp(config, metrics, db, health, http, List.copyOf(routes), retention,
                    engine, controllerUrl, registryAuth, registryGc);
            app.logStarted(schema);
            return app;
        } catch (Exception | Error e) {
            db.close();
            metrics.close();
            throw e;
        }
    }

    /**
     * MAINTENANCE_ISO_URL, else STATIC_DIR/isos/maintenance.iso served by this controller if that file exists; else
     * none, and jobs fail at boot-iso saying so.
     */
    private static Optional<URI> maintenanceIso(ControllerConfig config, URI controllerUrl) {
        if (config.maintenanceIsoUrl().isPresent()) {
            return config.maintenanceIsoUrl();
        }
        if (Files.isRegularFile(config.paths().isoDir().resolve(DEFAULT_MAINTENANCE_ISO))) {
            URI u = URI.create(controllerUrl + "/static/isos/" + DEFAULT_MAINTENANCE_ISO);
            LOG.atInfo().addKeyValue("url", u.toString()).log("MAINTENANCE_ISO_URL is not set; serving STATIC_DIR/isos/"
                    + DEFAULT_MAINTENANCE_ISO);
            return Optional.of(u);
        }
        LOG.warn("MAINTENANCE_ISO_URL is not set and STATIC_DIR/isos/" + DEFAULT_MAINTENANCE_ISO
                + " does not exist: jobs will fail at boot-iso until one is configured");
        return Optional.empty();
    }

    /** Unique per process, readable in events and logs: which controller held a lease. */
    private static String owner(SecureRandom random) {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "controller";
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + Long.toHexString(random.nextLong() & 0xffffffL);
    }

    private static Handler authenticated(ControllerConfig config, Handler api, SecureRandom random, Clock clock) {
        if (config.apiAuth().mode() == AuthMode.NONE) {
            return api;
        }
        return new BasicAuthHandler(api, config.apiAuth().user(), config.apiAuth().passHash().orElseThrow(),
                new CredentialCache(random, clock, Duration.ofMinutes(10), 4096),
                new LoginThrottle(clock, 5, Duration.ofMinutes(5), 100_000));
    }

    private static void prepareDirectories(ControllerConfig config) throws java.io.IOException {
        var p = config.paths();
        AtomicFiles.ensureDirectory(p.storageRoot());
        AtomicFiles.ensureDirectory(p.dbPath().toAbsolutePath().getParent());
        AtomicFiles.ensureDirectory(p.taskIsoDir());
        AtomicFiles.ensureDirectory(p.isoDir());
        AtomicFiles.ensureDirectory(p.keysDir());
        Files.setPosixFilePermissions(p.keysDir(), PosixFilePermissions.fromString("rwx------"));
        if (config.registry().enabled()) {
            AtomicFiles.ensureDirectory(config.registry().storage());
        }
    }

    private void logStarted(Migrations.Status schema) {
        LOG.atInfo()
                .addKeyValue("url", baseUri().toString())
                .addKeyValue("mode", config.mode().name().toLowerCase(java.util.Locale.ROOT))
                .addKeyValue("auth", config.apiAuth().mode().name().toLowerCase(java.util.Locale.ROOT))
                .addKeyValue("db", config.paths().dbPath().toString())
                .addKeyValue("schema", schema.current().orElse("none"))
                .addKeyValue("workers", config.workerConcurrency())
                .addKeyValue("lease_ttl", Durations.format(config.jobLeaseTtl()))
                .log("shoal-controller listening");
        if (config.registry().enabled()) {
            LOG.atInfo().addKeyValue("storage", config.registry().storage().toString())
                    .addKeyValue("auth", config.registry().authMode().name().toLowerCase(java.util.Locale.ROOT))
                    .log("OCI registry serving /v2/");
        }
    }

    public int port() {
        return http.port();
    }

    public URI baseUri() {
        return baseUri(config, port());
    }

    private static URI baseUri(ControllerConfig config, int port) {
        return URI.create((config.tls().isPresent() ? "https" : "http") + "://" + config.listen().authority(port));
    }

    /** How BMCs and agents reach this controller: CONTROLLER_URL, or the listener's own address. */
    public URI controllerUrl() {
        return controllerUrl;
    }

    public JobEngine engine() {
        return engine;
    }

    /**
     * SIGHUP: applies what may change while serving (WORKER_CONCURRENCY, DRAIN, LOG_LEVEL) and re-reads the registry's
     * users file. DRAIN is applied only
     * when the reloaded value differs from the last one loaded, so a reload does not undo an operator's drain
     * through the API with a file that never mentioned it.
     */
    public synchronized void reload(ControllerConfig fresh) {
        ControllerConfig before = loaded;
        Logging.setLevel(fresh.logLevel());
        engine.setConcurrency(fresh.workerConcurrency());
        registryAuth.ifPresent(RegistryAuthHandler::reloadUsers);
        if (fresh.drain() != before.drain()) {
            engine.setDraining(fresh.drain());
        }
        loaded = fresh;
        LOG.atInfo().addKeyValue("workers", fresh.workerConcurrency()).addKeyValue("draining", engine.status().draining())
                .addKeyValue("log_level", fresh.logLevel()).log("configuration reloaded");
    }

    public ControllerConfig config() {
        return config;
    }

    /** Every routed endpoint, for the test that holds the OpenAPI document to the code. */
    public List<Router.Route> routes() {
        return routes;
    }

    public void join() throws InterruptedException {
        http.join();
    }

    /** Graceful: readiness goes 503, in-flight requests finish (up to 30 s), then the database closes cleanly. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        health.markStopping();
        retention.close();
        registryGc.ifPresent(RegistryGcSchedule::close);
        // before the HTTP server: running steps may still need the media server and agent callbacks
        engine.stop(JobEngine.STOP_GRACE);
        LOG.info("shutting down: finishing in-flight requests");
        try {
            http.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly", e);
        }
        db.close();
        metrics.close();
        LOG.info("stopped");
    }
}

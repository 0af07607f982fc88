package dev.shoal.bmcsim;

import dev.shoal.bmcsim.admin.AdminHandler;
import dev.shoal.bmcsim.bmc.BmcHandler;
import dev.shoal.bmcsim.bmc.BmcModel;
import dev.shoal.bmcsim.bmc.RedfishService;
import dev.shoal.bmcsim.machine.Machine;
import dev.shoal.bmcsim.media.ImageProbe;
import dev.shoal.bmcsim.tls.SelfSignedCertificate;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A set of simulated Redfish BMCs, each on its own listener (so each has its own base URL, as real BMCs
 * do, and every client works unchanged), plus an admin listener. One Jetty server carries all of them;
 * handlers run on virtual threads. Start with {@link #start(SimulatorConfig)}, stop with {@link #close()}.
 *
 * <pre>{@code
 * try (BmcSimulator sim = BmcSimulator.start(SimulatorConfig.of(Personality.DELL, "idrac", 3))) {
 *     URI first = sim.bmcs().get(0).baseUri();      // http://127.0.0.1:PORT, account root/calvin
 * }
 * }</pre>
 */
public final class BmcSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BmcSimulator.class);
    private static final String ADMIN = "admin";
    private static final String BMC_PREFIX = "bmc:";

    private final Server server;
    private final ServerConnector adminConnector;
    private final Map<String, ServerConnector> connectors;
    private final List<SimulatedBmc> bmcs;
    private final ScheduledExecutorService scheduler;
    private final SimulatorConfig config;
    private final SelfSignedCertificate certificate;
    private final ImageProbe probe;

    private BmcSimulator(Server server, ServerConnector adminConnector, Map<String, ServerConnector> connectors, List<SimulatedBmc> bmcs,
                         ScheduledExecutorService scheduler, SimulatorConfig config, SelfSignedCertificate certificate, ImageProbe probe) {
        this.server = server;
        this.adminConnector = adminConnector;
        this.connectors = connectors;
        this.bmcs = bmcs;
        this.scheduler = scheduler;
        this.config = config;
        this.certificate = certificate;
        this.probe = probe;
    }

    /** Binds every listener and starts serving; throws IllegalStateException if a port cannot be bound. */
    public static BmcSimulator start(SimulatorConfig config) {
        // Each BMC's connector keeps one selector thread (acceptors 0: the selector accepts too); the pool must
        // budget one per BMC plus the admin endpoint, or Jetty refuses to start a few hundred BMCs.
        QueuedThreadPool pool = new QueuedThreadPool(32 + 2 * (config.bmcs().size() + 1), 2);
        pool.setName("bmc-sim");
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("bmc-sim-vt-", 0).factory()));
        Server server = new Server(pool);
        // No graceful stop: a test tool should close at once (a graceful stop waits ~1 s for idle keep-alive
        // connections, which adds up over a test suite that starts a simulator per test).
        server.setStopTimeout(0);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bmc-sim-power");
            t.setDaemon(true);
            return t;
        });
        SelfSignedCertificate cert = config.tls()
                ? SelfSignedCertificate.generate("shoal-bmc-sim", List.of(config.host())) : null;

        ImageProbe probe = new ImageProbe();
        Map<String, RedfishService> services = new HashMap<>();
        Map<String, ServerConnector> connectors = new HashMap<>();
        Map<String, BmcModel> models = new HashMap<>();
        List<SimulatedBmc> bmcs = new ArrayList<>();
        for (int i = 0; i < config.bmcs().size(); i++) {
            BmcSpec spec = config.bmcs().get(i);
            BmcModel model = new BmcModel(spec, config.machine(), scheduler);
            ServerConnector c = connector(server, cert);
            c.setName(BMC_PREFIX + spec.name());
            c.setHost(config.host());
            c.setPort(config.bmcPorts().isEmpty() ? 0 : config.bmcPorts().get(i));
            server.addConnector(c);
            connectors.put(spec.name(), c);
            services.put(c.getName(), new RedfishService(model, probe));
            models.put(spec.name(), model);
            bmcs.add(new SimulatedBmc(spec, model));
        }
        ServerConnector admin = connector(server, null);
        admin.setName(ADMIN);
        admin.setHost(config.host());
        admin.setPort(config.adminPort());
        server.addConnector(admin);

        Handler.Sequence handlers = new Handler.Sequence(new BmcHandler(services::get), new AdminHandler(bmcs, ADMIN::equals));
        server.setHandler(new ContextHandler(handlers, "/"));
        BmcSimulator sim = new BmcSimulator(server, admin, connectors, List.copyOf(bmcs), scheduler, config, cert, probe);
        try {
            server.start();
        } catch (Exception e) {
            sim.close();
            throw new IllegalStateException("bmc-sim could not start: " + e.getMessage(), e);
        }
        String scheme = config.tls() ? "https" : "http";
        for (SimulatedBmc b : bmcs) {
            ServerConnector c = connectors.get(b.name());
            // Pin the port actually bound, so a "down" BMC comes back "up" at the same address.
            c.setPort(c.getLocalPort());
            models.get(b.name()).attach(URI.create(scheme + "://" + uriHost(config.host()) + ":" + c.getLocalPort()),
                    down -> sim.setDown(b.name(), down));
            if (b.spec().faults().down()) {
                sim.setDown(b.name(), true);
            }
        }
        LOG.info("bmc-sim: {} BMC(s), admin at {}", bmcs.size(), sim.adminUri());
        return sim;
    }

    private static ServerConnector connector(Server server, SelfSignedCertificate cert) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ConnectionFactory[] factories;
        if (cert == null) {
            factories = new ConnectionFactory[]{new HttpConnectionFactory(http)};
        } else {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // clients reach BMCs by IP address
            http.addCustomizer(secure);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(cert.keyStore());
            ssl.setKeyStorePassword(SelfSignedCertificate.PASSWORD);
            ssl.setSniRequired(false);
            factories = new ConnectionFactory[]{new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http)};
        }
        ServerConnector c = new ServerConnector(server, 0, 1, factories);
        c.setIdleTimeout(30_000);
        c.setReuseAddress(true);
        return c;
    }

    private static String uriHost(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** Stops or restarts a BMC's listener: a stopped one refuses connections, like a BMC that is off the network. */
    private synchronized void setDown(String name, boolean down) {
        ServerConnector c = connectors.get(name);
        try {
            if (down && c.isRunning()) {
                c.stop();
                c.getConnectedEndPoints().forEach(org.eclipse.jetty.io.EndPoint::close);
            } else if (!down && !c.isRunning()) {
                c.start();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot " + (down ? "stop" : "restart") + " the listener of " + name + ": " + e.getMessage(), e);
        }
        for (SimulatedBmc b : bmcs) {
            if (b.name().equals(name)) {
                b.markUp(!down);
            }
        }
    }

    public List<SimulatedBmc> bmcs() {
        return bmcs;
    }

    public SimulatedBmc bmc(String name) {
        return bmcs.stream().filter(b -> b.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no BMC named " + name));
    }

    public URI adminUri() {
        return URI.create("http://" + uriHost(config.host()) + ":" + adminConnector.getLocalPort());
    }

    /** The self-signed certificate the BMC listeners present when TLS is on. */
    public Optional<X509Certificate> certificate() {
        return Optional.ofNullable(certificate).map(SelfSignedCertificate::certificate);
    }

    public Machine machine() {
        return config.machine();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("bmc-sim: stopping the server failed", e);
        }
        scheduler.shutdownNow();
        probe.close();
    }
}

package dev.shoal.controller.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.bmcsim.BmcSimulator;
import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.SimulatedBmc;
import dev.shoal.bmcsim.SimulatorConfig;
import dev.shoal.bmcsim.agentmachine.AgentMachine;
import dev.shoal.bmcsim.agentmachine.AgentMachineConfig;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.controller.ControllerApp;
import dev.shoal.controller.config.ConfigException;
import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.config.ConfigLoader;
import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.config.Setting;
import dev.shoal.controller.http.Json;
import dev.shoal.iso.IsoWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code shoal-controller demo}: the controller (local mode, as {@code serve} runs it) with a few simulated servers
 * behind simulated BMCs, whose "maintenance OS" is the real shoal-agent writing to a disk file, a stand-in
 * maintenance ISO and a sample disk image served from STATIC_DIR. It writes one job file per server and prints the
 * command that posts one and follows it to complete.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the controller with simulated servers, a sample image and ready-made job files.",
                "Then, in another terminal: ./shoal-controller submit --follow var/shoal/demo/job-dell-1.json"})
final class DemoCommand implements Callable<Integer> {
    static final String IMAGE = "demo-disk.raw";
    static final int IMAGE_MIB = 16;

    @Spec
    CommandSpec spec;
    @Option(names = "--personality", split = ",", defaultValue = "dell,hpe,supermicro",
            description = "One simulated server per personality (default ${DEFAULT-VALUE})")
    List<String> personalities;
    @Option(names = "--power-delay", defaultValue = "1s", description = "How long a simulated power change takes (default ${DEFAULT-VALUE})")
    String powerDelay;

    private final Console console;

    DemoCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() throws Exception {
        ControllerConfig config;
        try {
            Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
            settings.putAll(ConfigOptions.settings(spec, console.environment()));
            settings.putIfAbsent(ConfigKey.SHOAL_MODE, new Setting(ConfigKey.SHOAL_MODE, "local", "demo"));
            settings.put(ConfigKey.DRAIN, new Setting(ConfigKey.DRAIN, "false", "demo"));
            config = ConfigLoader.load(settings);
        } catch (ConfigException e) {
            return Exit.configError(console, e);
        }
        Path root = config.paths().storageRoot();
        Path demo = root.resolve("demo");
        Files.createDirectories(demo);
        Files.createDirectories(config.paths().isoDir());
        Path maintenance = config.paths().isoDir().resolve(ControllerApp.DEFAULT_MAINTENANCE_ISO);
        if (!Files.exists(maintenance) && config.maintenanceIsoUrl().isEmpty()) {
            IsoWriter.builder().volumeId("SHOAL-MAINT")
                    .file("README.txt", ("Stand-in maintenance ISO for shoal-controller demo. The simulated servers run\n"
                            + "shoal-agent in-process when they boot it; a real one is a live OS running the agent.\n")
                            .getBytes(StandardCharsets.UTF_8), 0644)
                    .build().writeTo(maintenance);
        }
        String checksum = sampleImage(config.paths().staticDir().resolve("images").resolve(IMAGE));

        List<BmcSpec> specs = new ArrayList<>();
        for (String p : personalities) {
            String name = p.strip().toLowerCase(Locale.ROOT).replace('_', '-');
            specs.add(BmcSpec.of(name + "-1", Personality.parse(name)).withPowerDelay(dev.shoal.controller.config.Durations.parse(powerDelay)));
        }
        AgentMachine servers = new AgentMachine(AgentMachineConfig.of(demo.resolve("servers")).withDiskBytes(64L << 20));
        BmcSimulator sim = BmcSimulator.start(new SimulatorConfig(SimulatorConfig.DEFAULT_HOST, specs, 0, servers, false));
        ControllerApp app;
        try {
            app = ControllerApp.start(config, console.err());
        } catch (Exception e) {
            sim.close();
            servers.close();
            return Exit.failure(console, "demo: cannot start the controller: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            sim.close();
            servers.close();
            stopped.countDown();
        }, "demo-stop"));

        String imageUrl = app.controllerUrl() + "/static/images/" + IMAGE;
        var out = console.out();
        out.println();
        out.println("Shoal demo: controller " + app.baseUri() + ", " + specs.size() + " simulated servers, sample image " + imageUrl);
        for (SimulatedBmc b : sim.bmcs()) {
            Path job = demo.resolve("job-" + b.name() + ".json");
            Files.writeString(job, Json.text(job(b, imageUrl, checksum)) + "\n");
            out.printf("  %-14s %-11s BMC %s  disk %s%n", b.name(), b.personality().name().toLowerCase(Locale.ROOT),
                    b.baseUri(), servers.disk(b.name()));
        }
        out.println();
        out.println("Provision one, following every step (in another terminal):");
        out.println("  ./shoal-controller submit --follow " + displayed(demo.resolve("job-" + sim.bmcs().getFirst().name() + ".json")));
        out.println("API user admin, password in " + config.paths().keysDir().resolve("initial-admin-password"));
        out.println("Stop with Ctrl-C.");
        out.flush();
        stopped.await();
        return Exit.OK;
    }

    /** Relative to the working directory when it is below it, as the README's commands are. */
    private static String displayed(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    private static ObjectNode job(SimulatedBmc b, String imageUrl, String checksum) {
        ObjectNode j = Json.object();
        ObjectNode server = j.putObject("server");
        server.put("bmc_url", b.baseUri().toString());
        server.put("username", b.credentials().username());
        server.put("password", b.credentials().password());
        ObjectNode recipe = j.putObject("recipe");
        recipe.put("kind", "image");
        recipe.put("url", imageUrl);
        recipe.put("checksum", checksum);
        recipe.put("format", "raw");
        ObjectNode drive = recipe.putObject("config_drive");
        drive.putObject("meta_data").put("hostname", b.name());
        drive.put("user_data", "#cloud-config\nhostname: " + b.name() + "\n");
        drive.putObject("network_data");
        j.putObject("labels").put("demo", "true");
        return j;
    }

    /**
     * A small raw disk image with recognisable content; written once, its checksum computed each time (the job
     * needs it, and a file an operator replaced must not be announced with a stale one).
     */
    static String sampleImage(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Path tmp = Files.createTempFile(file.getParent(), ".demo", ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                byte[] block = new byte[1 << 20];
                for (int mib = 0; mib < IMAGE_MIB; mib++) {
                    byte[] label = ("shoal demo disk image, MiB " + mib + "\n").getBytes(StandardCharsets.US_ASCII);
                    java.util.Arrays.fill(block, (byte) 0);
                    System.arraycopy(label, 0, block, 0, label.length);
                    block[510] = (byte) (mib == 0 ? 0x55 : 0);
                    block[511] = (byte) (mib == 0 ? 0xAA : 0);
                    out.write(block);
                }
            }
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        try (var in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return "sha256:" + HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

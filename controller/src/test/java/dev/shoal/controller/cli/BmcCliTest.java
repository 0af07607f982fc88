package dev.shoal.controller.cli;

import dev.shoal.bmcsim.BmcSimulator;
import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.SimulatedBmc;
import dev.shoal.bmcsim.SimulatorConfig;
import dev.shoal.bmcsim.bmc.PowerState;
import dev.shoal.bmcsim.media.ImageServer;
import dev.shoal.bmcsim.personality.Personality;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code shoal-controller bmc check|boot-iso|power|eject|info} against the simulator, in every personality. */
class BmcCliTest {
    static BmcSimulator sim;
    static ImageServer http;
    static ImageServer https;

    @BeforeAll
    static void start() throws Exception {
        List<BmcSpec> specs = new ArrayList<>();
        for (Personality p : Personality.values()) {
            specs.add(BmcSpec.of(p.name().toLowerCase().replace('_', '-'), p).withPowerDelay(Duration.ofMillis(100)));
        }
        sim = BmcSimulator.start(new SimulatorConfig("127.0.0.1", specs, 0, null, false));
        http = ImageServer.http();
        https = ImageServer.https();
    }

    @AfterAll
    static void stop() {
        sim.close();
        http.close();
        https.close();
    }

    record Run(int exit, String out, String err) {
    }

    static Run bmc(SimulatedBmc b, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("bmc", args[0], "--url", b.baseUri().toString(), "-u", b.credentials().username(),
                "--retries", "5", "--power-timeout", "20s"));
        argv.addAll(List.of(args).subList(1, args.length));
        int exit = Cli.run(argv.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                Map.of("BMC_PASSWORD", b.credentials().password()));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static SimulatedBmc of(Personality p) {
        return sim.bmc(p.name().toLowerCase().replace('_', '-'));
    }

    @ParameterizedTest
    @EnumSource(Personality.class)
    void checkThenBootIsoWorkInEveryPersonality(Personality p) {
        SimulatedBmc b = of(p);
        Run check = bmc(b, "check");
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("quirk profile:", "ready for virtual-media provisioning");

        ImageServer images = p == Personality.OPENBMC ? https : http;
        String iso = images.uri("maint.iso").toString();
        String task = images.uri("task.iso").toString();
        Run boot = bmc(b, "boot-iso", "--iso", iso, "--task-iso", task);
        assertThat(boot.exit()).as(boot.out() + boot.err()).isZero();
        assertThat(boot.out()).contains("[power-off]", "[insert] inserted " + iso, "[boot-override]", "[power-on]", "done:");
        assertThat(b.state().media()).anySatisfy(m -> assertThat(m.image()).isEqualTo(iso));
        assertThat(b.state().power()).isEqualTo(PowerState.ON);

        Run power = bmc(b, "power", "status");
        assertThat(power.out()).contains("power: On");
        Run eject = bmc(b, "eject");
        assertThat(eject.exit()).as(eject.out() + eject.err()).isZero();
        assertThat(b.state().media()).allSatisfy(m -> assertThat(m.image() == null || m.image().isEmpty()
                || "NotConnected".equals(m.connectedVia())).isTrue());
    }

    @Test
    void infoShowsWhatTheBmcIs() {
        Run info = bmc(of(Personality.DELL), "info");
        assertThat(info.exit()).isZero();
        assertThat(info.out()).contains("profile:    dell (detected)", "System.Embedded.1", "media slot: CD");
    }

    @Test
    void aWrongPasswordFailsQuotingTheBmcAndNeverPrintsThePassword() {
        SimulatedBmc b = of(Personality.GENERIC);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(new String[] {"bmc", "check", "--url", b.baseUri().toString(), "-u", "admin", "--retries", "0"},
                new PrintStream(out), new PrintStream(err), new ByteArrayInputStream(new byte[0]),
                Map.of("BMC_PASSWORD", "not-the-password-7Q"));
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("BMC answered HTTP 401").doesNotContain("not-the-password-7Q");
        assertThat(out.toString()).doesNotContain("not-the-password-7Q");
    }

    @Test
    void noPasswordIsAClearError() {
        SimulatedBmc b = of(Personality.GENERIC);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(new String[] {"bmc", "info", "--url", b.baseUri().toString(), "-u", "admin"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), new ByteArrayInputStream(new byte[0]), Map.of());
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("BMC_PASSWORD");
    }
}

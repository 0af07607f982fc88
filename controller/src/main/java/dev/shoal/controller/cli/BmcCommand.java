package dev.shoal.controller.cli;

import dev.shoal.controller.config.Durations;
import dev.shoal.redfish.BmcClient;
import dev.shoal.redfish.BmcEndpoint;
import dev.shoal.redfish.boot.BootEvents;
import dev.shoal.redfish.boot.VirtualMediaBoot;
import dev.shoal.redfish.discovery.BmcInventory;
import dev.shoal.redfish.discovery.Capabilities;
import dev.shoal.redfish.discovery.VirtualMediaSlot;
import dev.shoal.redfish.quirks.Vendor;
import dev.shoal.redfish.transport.Credentials;
import dev.shoal.redfish.transport.RedfishException;
import dev.shoal.redfish.transport.RedfishSettings;
import dev.shoal.redfish.transport.TlsPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code shoal-controller bmc ...}: what the job engine does to a BMC, one step at a time, from a shell. */
@Command(name = "bmc", mixinStandardHelpOptions = true,
        description = {"Talk to a BMC over Redfish as a job would, printing each step.",
                "The password comes from --password or the BMC_PASSWORD environment variable."},
        subcommands = {BmcCommand.Info.class, BmcCommand.Check.class, BmcCommand.BootIso.class, BmcCommand.Eject.class,
                BmcCommand.Power.class})
final class BmcCommand {

    /** Connection options every bmc subcommand takes. */
    static final class Connection {
        @Option(names = "--url", required = true, description = "BMC address, e.g. https://10.0.0.5")
        URI url;
        @Option(names = {"--username", "-u"}, required = true, description = "BMC user")
        String username;
        @Option(names = "--password", description = "BMC password (visible to other users in ps; prefer BMC_PASSWORD)")
        String password;
        @Option(names = "--insecure", description = "Do not verify the BMC's TLS certificate")
        boolean insecure;
        @Option(names = "--fingerprint", description = "Accept only this certificate (SHA-256, hex with or without colons)")
        String fingerprint;
        @Option(names = "--system-id", description = "The ComputerSystem to use when the BMC has several")
        String systemId;
        @Option(names = "--vendor", defaultValue = "auto", description = "Quirk profile: auto, generic, dell, hpe, supermicro, lenovo, ami, openbmc, cisco")
        String vendor;
        @Option(names = "--timeout", defaultValue = "${env:REDFISH_TIMEOUT:-30s}",
                description = "Timeout of one request (default REDFISH_TIMEOUT, else 30s)")
        String timeout;
        @Option(names = "--retries", defaultValue = "${env:REDFISH_RETRIES:-3}",
                description = "Retries of a failed request (default REDFISH_RETRIES, else 3)")
        int retries;
        @Option(names = "--power-timeout", defaultValue = "5m", description = "How long a power change may take (default ${DEFAULT-VALUE})")
        String powerTimeout;

        BmcClient connect(Console console) {
            String pw = password != null ? password : console.environment().get("BMC_PASSWORD");
            if (pw == null) {
                throw new IllegalArgumentException("give the BMC password in BMC_PASSWORD (or --password)");
            }
            TlsPolicy tls = fingerprint != null ? TlsPolicy.pinned(fingerprint) : insecure ? TlsPolicy.INSECURE : TlsPolicy.VERIFY;
            BmcEndpoint endpoint = new BmcEndpoint(url, new Credentials(username, pw), tls, Optional.ofNullable(systemId),
                    Vendor.fromWire(vendor));
            RedfishSettings settings = RedfishSettings.defaults().withTimeout(Durations.parse(timeout)).withRetries(retries);
            return BmcClient.connect(endpoint, settings, Durations.parse(powerTimeout), Duration.ofSeconds(1));
        }
    }

    interface Action {
        int run(BmcClient bmc) throws Exception;
    }

    static int run(Console console, Connection c, Action action) {
        try (BmcClient bmc = c.connect(console)) {
            return action.run(bmc);
        } catch (RedfishException | IllegalArgumentException e) {
            return Exit.failure(console, "bmc: " + e.getMessage());
        } catch (Exception e) {
            return Exit.failure(console, "bmc: " + e);
        }
    }

    static BootEvents printer(Console console) {
        return (step, message, details) -> console.out().printf("[%s] %s%n", step, message);
    }

    @Command(name = "info", mixinStandardHelpOptions = true, description = "What the BMC is: vendor, system, power, boot override, media slots.")
    static final class Info implements Callable<Integer> {
        @Mixin
        Connection c;
        private final Console console;

        Info(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() {
            return run(console, c, bmc -> {
                BmcInventory inv = bmc.inventory();
                var out = console.out();
                out.println("bmc:        " + c.url);
                out.println("profile:    " + inv.profile().vendor().wire() + (inv.vendorDetected() ? " (detected)" : " (chosen)"));
                out.println("system:     " + inv.systemPath() + "  " + inv.manufacturer() + " "
                        + inv.system().path("Model").asText("") + ", power " + inv.powerState());
                var boot = inv.system().path("Boot");
                out.println("boot:       " + boot.path("BootSourceOverrideTarget").asText("-") + " / "
                        + boot.path("BootSourceOverrideEnabled").asText("-") + " / " + boot.path("BootSourceOverrideMode").asText("-"));
                out.println("managers:   " + String.join(", ", inv.managerPaths()));
                for (VirtualMediaSlot s : inv.slots()) {
                    out.println("media slot: " + s.id() + " " + s.mediaTypes() + (s.underSystem() ? " (System)" : " (Manager)")
                            + s.image().map(i -> " holds " + i).orElse(" empty"));
                }
                return Exit.OK;
            });
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true, description = "Can this BMC do what a job needs? Exit 1 if not.")
    static final class Check implements Callable<Integer> {
        @Mixin
        Connection c;
        private final Console console;

        Check(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() {
            return run(console, c, bmc -> {
                Capabilities caps = bmc.check();
                caps.findings().forEach(f -> console.out().println(f));
                console.out().println(caps.ready() ? "ready for virtual-media provisioning" : "NOT ready for virtual-media provisioning");
                return caps.ready() ? Exit.OK : Exit.FAILED;
            });
        }
    }

    @Command(name = "boot-iso", mixinStandardHelpOptions = true,
            description = "Power off, eject, insert the ISO(s), one-time boot to CD in UEFI mode, power on.")
    static final class BootIso implements Callable<Integer> {
        @Mixin
        Connection c;
        @Option(names = "--iso", required = true, description = "URL of the ISO to boot (the maintenance ISO)")
        URI iso;
        @Option(names = "--task-iso", description = "URL of a second ISO for the second slot (a job's task ISO)")
        URI taskIso;
        private final Console console;

        BootIso(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() {
            return run(console, c, bmc -> {
                VirtualMediaBoot.Inserted used = bmc.virtualMedia(printer(console)).bootFromIsos(iso, Optional.ofNullable(taskIso));
                console.out().println("done: " + iso + " in slot " + used.maintenance().id()
                        + used.task().map(t -> ", " + taskIso + " in slot " + t.id()).orElse(""));
                return Exit.OK;
            });
        }
    }

    @Command(name = "eject", mixinStandardHelpOptions = true, description = "Eject every CD/DVD and USB virtual media slot.")
    static final class Eject implements Callable<Integer> {
        @Mixin
        Connection c;
        private final Console console;

        Eject(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() {
            return run(console, c, bmc -> {
                var media = bmc.virtualMedia(printer(console)).media();
                List<VirtualMediaSlot> slots = bmc.inventory().slots();
                for (VirtualMediaSlot s : slots) {
                    media.eject(s);
                }
                return Exit.OK;
            });
        }
    }

    @Command(name = "power", mixinStandardHelpOptions = true, description = "Power: status, on, off (ForceOff), cycle (off, then on).")
    static final class Power implements Callable<Integer> {
        @Mixin
        Connection c;
        @Parameters(paramLabel = "ACTION", description = "status, on, off or cycle")
        String action;
        private final Console console;

        Power(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() {
            return run(console, c, bmc -> {
                var power = bmc.virtualMedia(printer(console)).power();
                switch (action) {
                    case "status" -> console.out().println("power: " + power.state());
                    case "on" -> power.on();
                    case "off" -> power.off();
                    case "cycle" -> {
                        power.off();
                        power.on();
                    }
                    default -> {
                        console.err().println("shoal-controller: bmc power: ACTION must be status, on, off or cycle");
                        return Exit.USAGE;
                    }
                }
                return Exit.OK;
            });
        }
    }
}

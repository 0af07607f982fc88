package dev.shoal.controller.cli;

import dev.shoal.controller.ControllerApp;
import dev.shoal.controller.config.ConfigException;
import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.store.Migrations;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code shoal-controller}: with no subcommand it serves, as the systemd unit of 036 §4 runs it. */
@Command(name = "shoal-controller", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Shoal bare-metal provisioning controller. With no command, serves the API.",
        subcommands = {ServeCommand.class, DbCommand.class, HashPasswordCommand.class, ConfigCommand.class, BmcCommand.class, BmcSimCommand.class,
                SignUrlCommand.class, SubmitCommand.class, DemoCommand.class, RegistryCommand.class})
public final class ShoalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final Console console;

    ShoalCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        return serve(spec, console);
    }

    static int serve(CommandSpec spec, Console console) {
        ControllerConfig config;
        try {
            config = ConfigOptions.load(spec, console.environment());
        } catch (ConfigException e) {
            return Exit.configError(console, e);
        }
        ControllerApp app;
        try {
            app = ControllerApp.start(config, console.err());
        } catch (ConfigException e) {
            return Exit.configError(console, e);
        } catch (Migrations.SchemaTooNewException e) {
            return Exit.failure(console, e.getMessage());
        } catch (java.io.IOException e) {
            return Exit.failure(console, "cannot start: " + e.getMessage());
        } catch (Exception e) {
            return Exit.failure(console, "cannot start: " + e);
        }
        ReloadOnHangup.install(app, spec, console.environment());
        Thread hook = new Thread(app::close, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            app.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.close();
        return 0;
    }

    static CommandLine commandLine(Console console) {
        CommandLine cl = new CommandLine(new ShoalCommand(console), new Factory(console));
        ConfigOptions.addTo(cl.getCommandSpec());
        ConfigOptions.addTo(cl.getSubcommands().get("serve").getCommandSpec());
        ConfigOptions.addTo(cl.getSubcommands().get("demo").getCommandSpec());
        CommandLine db = cl.getSubcommands().get("db");
        for (String sub : new String[] {"backup", "check", "vacuum"}) {
            ConfigOptions.addTo(db.getSubcommands().get(sub).getCommandSpec());
        }
        ConfigOptions.addTo(cl.getSubcommands().get("config").getSubcommands().get("check").getCommandSpec());
        ConfigOptions.addTo(cl.getSubcommands().get("sign-url").getCommandSpec());
        ConfigOptions.addTo(cl.getSubcommands().get("registry").getSubcommands().get("gc").getCommandSpec());
        cl.setOut(new java.io.PrintWriter(console.out(), true));
        cl.setErr(new java.io.PrintWriter(console.err(), true));
        cl.setParameterExceptionHandler(ShoalCommand::onBadArguments);
        return cl;
    }

    /**
     * As picocli's own handler, except that unknown arguments are not quoted: picocli's message would print the
     * value after a misspelt flag, such as the secret meant for {@code --webhook-secret}.
     */
    private static int onBadArguments(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        java.io.PrintWriter err = cmd.getErr();
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            java.util.List<String> options = u.getUnmatched().stream()
                    .map(a -> a.contains("=") ? a.substring(0, a.indexOf('=')) : a)
                    .filter(a -> a.matches("--[a-z][a-z0-9-]*|-[A-Za-z]")).distinct().toList();
            err.println(options.isEmpty() ? "Unexpected argument (not shown)"
                    : "Unknown option: " + String.join(", ", options) + " (values not shown)");
        } else {
            err.println(ex.getMessage());
        }
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
            cmd.usage(err);
        }
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Gives every command the console, so none reaches for System.out or System.getenv itself. */
    private record Factory(Console console) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            for (var c : cls.getDeclaredConstructors()) {
                if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Console.class) {
                    c.setAccessible(true);
                    return cls.cast(c.newInstance(console));
                }
            }
            return CommandLine.defaultFactory().create(cls);
        }
    }
}

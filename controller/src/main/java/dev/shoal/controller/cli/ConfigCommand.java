package dev.shoal.controller.cli;

import dev.shoal.controller.config.ConfigException;
import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.config.ConfigLoader;
import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.config.Setting;
import dev.shoal.controller.secrets.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "config", mixinStandardHelpOptions = true, description = "Configuration tools.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate the configuration as serve would, and print where each set key came from (secrets masked).")
    static final class Check implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        private final Console console;

        Check(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() {
            Map<ConfigKey, Setting> settings;
            ControllerConfig config;
            try {
                settings = ConfigOptions.settings(spec, console.environment());
                config = ConfigLoader.load(settings);
            } catch (ConfigException e) {
                return Exit.configError(console, e);
            }
            console.out().println("mode: " + config.mode().name().toLowerCase(java.util.Locale.ROOT));
            for (ConfigKey k : ConfigKey.values()) {
                Setting s = settings.get(k);
                String shown = s != null ? s.shown() + "  (" + s.origin() + ")"
                        : k.defaultValue().map(d -> (k.secret() ? Secret.MASK : d) + "  (default)").orElse("(unset)");
                console.out().println(k.name() + "=" + shown);
            }
            console.out().println("configuration ok");
            return Exit.OK;
        }
    }
}

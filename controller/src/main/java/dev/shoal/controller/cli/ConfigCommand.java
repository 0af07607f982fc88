package dev.shoal.controller.cli;

import dev.shoal.controller.config.ConfigException;
import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.config.ConfigSources;
import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.config.Setting;
import dev.shoal.controller.secrets.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

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
            ControllerConfig config;
            try {
                config = ConfigOptions.load(spec, console.environment());
            } catch (ConfigException e) {
                return Exit.configError(console, e);
            }
            // Re-collect the raw settings only to show their origins; load() above already validated them.
            var flags = new java.util.EnumMap<ConfigKey, String>(ConfigKey.class);
            for (ConfigKey k : ConfigKey.values()) {
                String v = spec.findOption(k.flag()).getValue();
                if (v != null) {
                    flags.put(k, v);
                }
            }
            java.util.Optional<java.nio.file.Path> envFile = java.util.Optional.ofNullable(spec.findOption(ConfigOptions.ENV_FILE).getValue());
            var settings = ConfigSources.collect(console.environment(), envFile, flags);
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

package dev.shoal.controller.cli;

import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.config.ConfigLoader;
import dev.shoal.controller.config.ConfigSources;
import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.config.Setting;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Adds every configuration key as a {@code --kebab-case} flag, plus {@code --env-file}, to a command, and reads
 * them back. Generated from {@link ConfigKey} so a new key is a flag without touching any command.
 */
final class ConfigOptions {
    static final String ENV_FILE = "--env-file";

    private ConfigOptions() {
    }

    static void addTo(CommandSpec spec) {
        spec.addOption(OptionSpec.builder(ENV_FILE).paramLabel("FILE").type(Path.class)
                .description("Read KEY=value lines (036 §3 format) from FILE; the environment and flags override it").build());
        for (ConfigKey key : ConfigKey.values()) {
            String desc = key.description() + key.defaultValue().map(d -> " (default " + d + ")").orElse("")
                    + ". Env: " + key.name();
            spec.addOption(OptionSpec.builder(key.flag()).paramLabel(key.secret() ? "SECRET" : "VALUE")
                    .type(String.class).description(desc).build());
        }
    }

    static ControllerConfig load(CommandSpec spec, Map<String, String> environment) {
        return ConfigLoader.load(settings(spec, environment));
    }

    /** The raw settings with their origins, layered as serve layers them. */
    static Map<ConfigKey, Setting> settings(CommandSpec spec, Map<String, String> environment) {
        Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
        for (ConfigKey key : ConfigKey.values()) {
            String v = spec.findOption(key.flag()).getValue();
            if (v != null) {
                flags.put(key, v);
            }
        }
        Optional<Path> envFile = Optional.ofNullable(spec.findOption(ENV_FILE).getValue());
        return ConfigSources.collect(environment, envFile, flags);
    }
}

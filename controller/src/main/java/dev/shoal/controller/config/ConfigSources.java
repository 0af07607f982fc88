package dev.shoal.controller.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Layers the places configuration comes from. Later layers win: defaults, then the env file, then the
 * process environment (as systemd's EnvironmentFile= delivers it), then command-line flags.
 */
public final class ConfigSources {
    private ConfigSources() {
    }

    public static Map<ConfigKey, Setting> collect(Map<String, String> environment, Optional<Path> envFile,
                                                  Map<ConfigKey, String> flags) {
        Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
        envFile.ifPresent(f -> settings.putAll(EnvFile.read(f)));
        List<ConfigProblem> problems = new ArrayList<>();
        environment.forEach((name, value) -> {
            Optional<ConfigKey> key = ConfigKey.byName(name);
            if (key.isPresent()) {
                settings.put(key.get(), new Setting(key.get(), value, "environment"));
            } else if (name.startsWith("SHOAL_")) {
                // Our own prefix: a typo here would otherwise be silently ignored.
                problems.add(new ConfigProblem(name + " (environment)", "unknown key (see shoal-controller --help)"));
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        flags.forEach((key, value) -> settings.put(key, new Setting(key, value, key.flag())));
        return settings;
    }
}

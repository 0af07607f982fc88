package dev.shoal.controller.cli;

import dev.shoal.controller.ControllerApp;
import dev.shoal.controller.config.ConfigException;
import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.config.ConfigLoader;
import dev.shoal.controller.config.EnvFile;
import dev.shoal.controller.config.Setting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Model.CommandSpec;
import sun.misc.Signal;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code systemctl reload shoal} (SIGHUP): reads the configuration again and applies the keys that may change while
 * serving. systemd's EnvironmentFile= is read only when the service starts, so the process environment still holds
 * the old values; for those keys the --env-file's current value wins. A configuration that no longer loads is
 * logged, key by key, and nothing changes.
 */
final class ReloadOnHangup {
    static final Set<ConfigKey> RELOADABLE = Set.of(ConfigKey.WORKER_CONCURRENCY, ConfigKey.DRAIN, ConfigKey.LOG_LEVEL);
    private static final Logger LOG = LoggerFactory.getLogger(ReloadOnHangup.class);

    private ReloadOnHangup() {
    }

    static void install(ControllerApp app, CommandSpec spec, Map<String, String> environment) {
        Signal.handle(new Signal("HUP"), sig -> Thread.ofVirtual().name("reload").start(() -> reload(app, spec, environment)));
    }

    static void reload(ControllerApp app, CommandSpec spec, Map<String, String> environment) {
        try {
            Map<ConfigKey, Setting> settings = new EnumMap<>(ConfigKey.class);
            settings.putAll(ConfigOptions.settings(spec, environment));
            Optional<Path> envFile = Optional.ofNullable(spec.findOption(ConfigOptions.ENV_FILE).getValue());
            envFile.ifPresent(f -> EnvFile.read(f).forEach((key, setting) -> {
                if (RELOADABLE.contains(key)) {
                    settings.put(key, setting);
                }
            }));
            app.reload(ConfigLoader.load(settings));
        } catch (ConfigException e) {
            LOG.atError().addKeyValue("problems", e.problems().stream().map(Object::toString).toList())
                    .log("reload refused: the configuration does not load; nothing changed");
        } catch (RuntimeException e) {
            LOG.atError().setCause(e).log("reload failed; nothing changed");
        }
    }
}

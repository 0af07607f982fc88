package dev.shoal.controller.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a 036-style environment file, the format systemd's {@code EnvironmentFile=} reads: {@code KEY=value}
 * lines, {@code #} and {@code ;} comment lines, optional surrounding quotes. Nothing is expanded, so the
 * {@code $} characters of a bcrypt hash are kept as written (systemd does not expand them either).
 */
public final class EnvFile {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnvFile() {
    }

    public static Map<ConfigKey, Setting> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("--env-file", file + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("--env-file", "cannot read " + file + ": " + e.getMessage());
        }
        return parse(lines, file.toString());
    }

    static Map<ConfigKey, Setting> parse(List<String> lines, String fileName) {
        Map<ConfigKey, Setting> out = new LinkedHashMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String origin = fileName + " line " + (i + 1);
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).stripLeading();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                problems.add(new ConfigProblem(origin, "expected KEY=value"));
                continue;
            }
            String name = line.substring(0, eq).strip();
            if (!NAME.matcher(name).matches()) {
                problems.add(new ConfigProblem(origin, "\"" + name + "\" is not a variable name"));
                continue;
            }
            Optional<ConfigKey> key = ConfigKey.byName(name);
            if (key.isEmpty()) {
                problems.add(new ConfigProblem(name + " (" + origin + ")", "unknown key (see shoal-controller --help)"));
                continue;
            }
            try {
                out.put(key.get(), new Setting(key.get(), unquote(line.substring(eq + 1).strip()), origin));
            } catch (IllegalArgumentException e) {
                problems.add(new ConfigProblem(name + " (" + origin + ")", e.getMessage()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return out;
    }

    private static String unquote(String v) {
        if (v.length() >= 2) {
            char first = v.charAt(0);
            if ((first == '"' || first == '\'') && v.charAt(v.length() - 1) == first) {
                String inner = v.substring(1, v.length() - 1);
                return first == '"' ? inner.replace("\\\"", "\"").replace("\\\\", "\\") : inner;
            }
            if ((first == '"' || first == '\'')) {
                throw new IllegalArgumentException("value opens a " + first + " quote it does not close");
            }
        }
        return v;
    }
}

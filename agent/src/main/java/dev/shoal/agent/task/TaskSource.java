package dev.shoal.agent.task;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.shoal.iso.IsoReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads task.json from what {@code --task} names: a task ISO (the SHOAL-TASK CD, or its device), a directory
 * holding task.json (a mounted CD), or a task.json file itself.
 */
public final class TaskSource {
    public static final String TASK_JSON = "task.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TaskSource() {
    }

    public static JsonNode read(Path path) throws TaskException {
        byte[] bytes;
        try {
            if (Files.isDirectory(path)) {
                Path f = path.resolve(TASK_JSON);
                if (!Files.isRegularFile(f)) {
                    throw new TaskException("no " + TASK_JSON + " in directory " + path, null);
                }
                bytes = Files.readAllBytes(f);
            } else if (!Files.exists(path)) {
                throw new TaskException("task source " + path + " does not exist", null);
            } else if (path.getFileName() != null && path.getFileName().toString().endsWith(".json")) {
                bytes = Files.readAllBytes(path);
            } else {
                try (IsoReader iso = IsoReader.open(path)) {
                    if (iso.find(TASK_JSON).isEmpty()) {
                        throw new TaskException("no " + TASK_JSON + " in ISO image " + path + " (volume "
                                + iso.volumeId() + ")", null);
                    }
                    bytes = iso.readAllBytes(TASK_JSON);
                }
            }
        } catch (IOException e) {
            throw new TaskException("cannot read the task from " + path + ": " + e.getMessage(), e);
        }
        try {
            return JSON.readTree(bytes);
        } catch (JacksonException e) {
            throw new TaskException(TASK_JSON + " from " + path + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TaskException("cannot parse " + TASK_JSON + " from " + path + ": " + e.getMessage(), e);
        }
    }

    public static Task load(Path path) throws TaskException {
        return TaskParser.parse(read(path));
    }
}

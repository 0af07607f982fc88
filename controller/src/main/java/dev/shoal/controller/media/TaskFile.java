package dev.shoal.controller.media;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What goes into one job's task ISO: {@code task.json} (filled by the engine: job id, controller base URL, agent
 * token, callback signing key, recipe, registry credentials, CA certificate, config drive content) and optional
 * extra files by path inside the ISO, such as {@code ca.pem}.
 *
 * <p>{@code toString} shows names only: task.json holds secrets and records print their fields.
 */
public record TaskFile(String jobId, JsonNode task, Map<String, byte[]> extraFiles) {
    public static final String TASK_JSON = "task.json";

    public TaskFile {
        if (!TaskIsoPath.isJobId(jobId)) {
            throw new IllegalArgumentException("not a job id (lower-case UUID): " + jobId);
        }
        Objects.requireNonNull(task, "task");
        if (!task.isObject()) {
            throw new IllegalArgumentException("task.json must be a JSON object");
        }
        TreeMap<String, byte[]> copy = new TreeMap<>();
        extraFiles.forEach((name, bytes) -> {
            if (!validName(name) || name.equals(TASK_JSON)) {
                throw new IllegalArgumentException("bad extra file name for the task ISO: " + name);
            }
            copy.put(name, bytes.clone());
        });
        task = task.deepCopy(); // a record is a value: later edits to the caller's tree must not change it
        extraFiles = Collections.unmodifiableMap(copy);
    }

    public TaskFile(String jobId, JsonNode task) {
        this(jobId, task, Map.of());
    }

    /** Relative, '/'-separated, every segment a plain name. */
    static boolean validName(String name) {
        if (name == null || name.isEmpty() || name.startsWith("/")) {
            return false;
        }
        for (String s : name.split("/", -1)) {
            if (s.isEmpty() || s.equals(".") || s.equals("..") || s.indexOf('\\') >= 0 || s.indexOf('\0') >= 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public JsonNode task() {
        return task.deepCopy();
    }

    @Override
    public Map<String, byte[]> extraFiles() {
        TreeMap<String, byte[]> copy = new TreeMap<>();
        extraFiles.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableMap(copy);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TaskFile t) || !jobId.equals(t.jobId) || !task.equals(t.task)
                || !extraFiles.keySet().equals(t.extraFiles.keySet())) {
            return false;
        }
        return extraFiles.entrySet().stream().allMatch(e -> java.util.Arrays.equals(e.getValue(), t.extraFiles.get(e.getKey())));
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobId, extraFiles.keySet());
    }

    @Override
    public String toString() {
        return "TaskFile[job=" + jobId + ", files=" + TASK_JSON + (extraFiles.isEmpty() ? "" : "," + String.join(",", extraFiles.keySet())) + "]";
    }
}

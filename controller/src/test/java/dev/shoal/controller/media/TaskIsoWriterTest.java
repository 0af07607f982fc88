package dev.shoal.controller.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.controller.testing.DebianTools;
import dev.shoal.iso.IsoReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskIsoWriterTest {
    static final String JOB = "01890a5d-ac96-774b-bcce-b302099a8057";
    static final ObjectMapper JSON = new ObjectMapper();
    final InstantSource clock = InstantSource.fixed(Instant.parse("2026-01-01T00:00:00Z"));

    static ObjectNode task() {
        ObjectNode t = JSON.createObjectNode();
        t.put("job_id", JOB).put("controller_url", "https://c.example.org").put("agent_token", "tok-very-secret");
        t.putObject("recipe").put("kind", "image").put("url", "oci://r/x:1");
        return t;
    }

    @Test
    void writesALabelledIsoWithTaskJsonOwnerOnly(@TempDir Path dir) throws Exception {
        Path tasks = dir.resolve("tasks");
        Path iso = new TaskIsoWriter(tasks, clock).write(new TaskFile(JOB, task(), Map.of("ca.pem", "PEM\n".getBytes(StandardCharsets.US_ASCII))));
        assertThat(iso).isEqualTo(tasks.resolve(JOB).resolve("task.iso"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(iso))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(iso.getParent()))).isEqualTo("rwxr-x---");
        try (var stream = Files.list(iso.getParent())) {
            assertThat(stream.map(p -> p.getFileName().toString())).containsExactly("task.iso"); // no temp left behind
        }
        try (IsoReader r = IsoReader.open(iso)) {
            assertThat(r.volumeId()).isEqualTo("SHOAL-TASK");
            assertThat(JSON.readTree(r.readAllBytes("task.json"))).isEqualTo(task());
            assertThat(new String(r.readAllBytes("ca.pem"), StandardCharsets.US_ASCII)).isEqualTo("PEM\n");
        }
    }

    @Test
    void debianToolsReadIt(@TempDir Path dir) throws Exception {
        Path iso = new TaskIsoWriter(dir, clock).write(new TaskFile(JOB, task()));
        var info = DebianTools.run(null, "isoinfo", "-d", "-i", iso.toString());
        assertThat(info.exit()).as(info.err()).isZero();
        assertThat(info.out()).contains("Volume id: SHOAL-TASK");
        var cat = DebianTools.run(null, "isoinfo", "-R", "-i", iso.toString(), "-x", "/task.json");
        assertThat(cat.exit()).as(cat.err()).isZero();
        assertThat(JSON.readTree(cat.out())).isEqualTo(task());
        Path out = dir.resolve("extracted.json");
        var x = DebianTools.run(null, "xorriso", "-osirrox", "on", "-indev", iso.toString(), "-extract", "/task.json", out.toString());
        assertThat(x.exit()).as(x.err()).isZero();
        assertThat(JSON.readTree(Files.readAllBytes(out))).isEqualTo(task());
        var pvd = DebianTools.run(null, "xorriso", "-indev", iso.toString(), "-pvd_info");
        assertThat(pvd.out() + pvd.err()).contains("SHOAL-TASK");
    }

    @Test
    void rewriteReplacesAndDeleteRemoves(@TempDir Path dir) throws Exception {
        TaskIsoWriter w = new TaskIsoWriter(dir, clock);
        w.write(new TaskFile(JOB, task()));
        ObjectNode changed = task().put("agent_token", "rotated");
        Path iso = w.write(new TaskFile(JOB, changed));
        try (IsoReader r = IsoReader.open(iso)) {
            assertThat(JSON.readTree(r.readAllBytes("task.json")).get("agent_token").asText()).isEqualTo("rotated");
        }
        try (var stream = Files.list(dir.resolve(JOB))) {
            assertThat(stream.map(p -> p.getFileName().toString())).containsExactly("task.iso");
        }
    }

    @Test
    void deleteReportsBytes(@TempDir Path dir) throws Exception {
        TaskIsoWriter w = new TaskIsoWriter(dir, clock);
        long size = Files.size(w.write(new TaskFile(JOB, task())));
        assertThat(w.delete(JOB)).isEqualTo(size);
        assertThat(dir.resolve(JOB)).doesNotExist();
        assertThat(w.delete(JOB)).isZero();
    }

    @Test
    void refusesBadJobIdsAndFileNamesAndHidesSecretsInToString() {
        assertThatThrownBy(() -> new TaskFile("../x", task())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskFile(JOB, task(), Map.of("../ca.pem", new byte[0]))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskFile(JOB, task(), Map.of("/ca.pem", new byte[0]))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskFile(JOB, task(), Map.of("task.json", new byte[0]))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TaskIsoWriter(Path.of("/tmp"), clock).delete("..")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TaskFile(JOB, task()).toString()).doesNotContain("tok-very-secret");
        JsonNode t = task();
        TaskFile f = new TaskFile(JOB, t);
        ((ObjectNode) t).put("agent_token", "changed-later");
        assertThat(f.task().get("agent_token").asText()).isEqualTo("tok-very-secret");
    }
}

package dev.shoal.controller.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** submit's refusals are one clear line and exit 1, never a stack trace. */
class SubmitCommandTest {
    record Result(int exit, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]), Map.of("API_PASSWORD", "x"));
        return new Result(exit, err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMissingJobFileIsNamed(@TempDir Path dir) {
        Result r = run("submit", dir.resolve("nope.json").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("cannot read the job file", "nope.json").doesNotContain("\tat ");
    }

    @Test
    void noControllerListeningIsSaid(@TempDir Path dir) throws Exception {
        Path job = Files.writeString(dir.resolve("job.json"), "{}");
        Result r = run("submit", "--url", "http://127.0.0.1:9", job.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no controller answers at http://127.0.0.1:9").doesNotContain("\tat ");
    }
}

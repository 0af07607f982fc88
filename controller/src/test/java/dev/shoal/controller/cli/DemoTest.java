package dev.shoal.controller.cli;

import dev.shoal.controller.testing.ControllerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's demo, as an operator runs it: {@code shoal-controller demo} in one process, then the command it
 * prints, {@code shoal-controller submit --follow JOB}, which must print every step and end at complete.
 */
class DemoTest {
    static final Pattern SUBMIT = Pattern.compile("submit --follow (\\S+)");

    @Test
    void theDemoProvisionsAServerWithTheCommandItPrints(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (ControllerProcess demo = ControllerProcess.start(dir, Map.of("STORAGE_ROOT", data.toString(),
                "CONTROLLER_HTTP_ADDR", "127.0.0.1:0"), "demo", "--personality", "dell,hpe", "--power-delay", "200ms")) {
            var base = demo.awaitListening(Duration.ofSeconds(60));
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Matcher m = SUBMIT.matcher(demo.stdout());
            while (!m.find()) {
                assertThat(System.nanoTime()).as("the demo printed its submit command: " + demo.stdout()).isLessThan(end);
                Thread.sleep(100);
                m = SUBMIT.matcher(demo.stdout());
            }
            assertThat(demo.stdout()).contains("dell-1", "hpe-1");
            Path job = dir.resolve(m.group(1));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = Cli.run(new String[] {"submit", "--follow", "--url", base.toString(), "--storage-root", data.toString(),
                            "--timeout", "2m", job.toString()},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    new ByteArrayInputStream(new byte[0]), Map.of());
            String printed = out.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(printed + err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(printed).contains("prepare-task", "boot-override", "write-image", "config-drive", "booting from disk")
                    .containsPattern("job [0-9a-f-]{36} complete");
            assertThat(printed).doesNotContain(demoPassword(data));
        }
    }

    private static String demoPassword(Path data) throws Exception {
        return java.nio.file.Files.readString(data.resolve("keys/initial-admin-password")).strip();
    }
}

package dev.shoal.bmcsim.agentmachine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A media server that closes connections without answering, as a server does when it drops a kept-alive
 * connection the client is about to reuse: a few drops are read through, an endless run of them fails.
 */
class RangedFetchTest {
    @TempDir
    Path work;

    private DroppingServer server;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connectionsDroppedBeforeAnAnswerAreTriedAgain() throws Exception {
        byte[] file = pattern(3 * RangedFetch.CHUNK + 100);
        server = new DroppingServer(file, RangedFetch.DROPPED_RETRIES);
        Path target = work.resolve("cd.iso");

        long size = fetch().fetch(server.url(), target);

        assertThat(size).isEqualTo(file.length);
        assertThat(Files.readAllBytes(target)).isEqualTo(file);
        assertThat(server.dropped.get()).isEqualTo(RangedFetch.DROPPED_RETRIES);
    }

    @Test
    void aServerThatAlwaysDropsFailsTheReadNamingWhatHappened() throws Exception {
        server = new DroppingServer(pattern(1000), Integer.MAX_VALUE);

        assertThatThrownBy(() -> fetch().fetch(server.url(), work.resolve("cd.iso")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("dropped " + (RangedFetch.DROPPED_RETRIES + 1) + " times");
        // the JDK client may itself repeat a GET once on a dropped connection, so count attempts as at least ours
        assertThat(server.dropped.get()).isGreaterThanOrEqualTo(RangedFetch.DROPPED_RETRIES + 1);
    }

    private static RangedFetch fetch() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return new RangedFetch(client, Duration.ofSeconds(10), Duration.ofSeconds(5));
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 13 + 5);
        }
        return b;
    }

    /** Reads each request, then closes the first {@code drops} connections unanswered and serves the rest. */
    private static final class DroppingServer implements AutoCloseable {
        private static final Pattern RANGE = Pattern.compile("range: bytes=(\\d+)-(\\d+)");
        private final ServerSocket socket;
        private final byte[] file;
        private final int drops;
        final AtomicInteger dropped = new AtomicInteger();

        DroppingServer(byte[] file, int drops) throws IOException {
            this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.file = file;
            this.drops = drops;
            Thread.ofVirtual().start(this::accept);
        }

        String url() {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/maint.iso";
        }

        private void accept() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    answer(s);
                } catch (IOException e) {
                    // closed by the test, or the client went away
                }
            }
        }

        private void answer(Socket s) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            long from = -1;
            long to = -1;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                Matcher m = RANGE.matcher(line.toLowerCase());
                if (m.matches()) {
                    from = Long.parseLong(m.group(1));
                    to = Math.min(Long.parseLong(m.group(2)), file.length - 1);
                }
            }
            if (dropped.get() < drops) {
                dropped.incrementAndGet();
                return;
            }
            int n = (int) (to - from + 1);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 206 Partial Content\r\nContent-Length: " + n + "\r\nContent-Range: bytes " + from + "-" + to
                    + "/" + file.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(file, (int) from, n);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

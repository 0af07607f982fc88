package dev.shoal.registry.api;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.DigestAlgorithm;
import dev.shoal.registry.storage.FsBlobStore;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A real Jetty server on 127.0.0.1 with the registry handler over an FsBlobStore, and a small HTTP client. */
final class RegistryServer implements AutoCloseable {
    final Server server;
    final FsBlobStore store;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final int port;

    RegistryServer(Path root) throws Exception {
        store = new FsBlobStore(root);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new RegistryHandler(store));
        server.start();
        port = connector.getLocalPort();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        return send("GET", pathAndQuery, null, headers);
    }

    /** Pushes a blob in one POST ?digest= and returns its digest. */
    Digest pushBlob(String repo, byte[] content) throws IOException, InterruptedException {
        Digest d = Digest.of(DigestAlgorithm.SHA256, content);
        HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + d, content);
        assertThat(r.statusCode()).as(new String(r.body())).isEqualTo(201);
        return d;
    }

    @Override
    public void close() throws IOException {
        client.close();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IOException("stopping the test server failed", e);
        }
    }
}

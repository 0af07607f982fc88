package dev.shoal.agent.image;

import dev.shoal.agent.StepFailure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

/** GETs an image over http(s) as a stream; follows redirects (image mirrors use them). */
public final class HttpImageSource implements ImageSource {
    public static final String STEP = "download-image";
    private final HttpClient client;

    public HttpImageSource(HttpClient client) {
        this.client = client;
    }

    /** Its own tasks on virtual threads, as the Reporter's client (see there). */
    public static HttpClient newClient(javax.net.ssl.SSLContext tls) {
        return HttpClient.newBuilder().sslContext(tls).followRedirects(HttpClient.Redirect.NORMAL)
                .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(Duration.ofSeconds(30)).build();
    }

    @Override
    public Download open(URI url) throws StepFailure {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new StepFailure(STEP, "cannot download " + url + ": scheme " + scheme + " is not supported by this agent (http, https)");
        }
        HttpRequest req = HttpRequest.newBuilder(url).GET().header("Accept", "*/*").build();
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new StepFailure(STEP, "cannot download " + url + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure(STEP, "download of " + url + " interrupted", e);
        }
        if (resp.statusCode() != 200) {
            try {
                resp.body().close(); // releases the connection; the body of an error page is not needed
            } catch (IOException ignored) {
                // the status is what matters
            }
            throw new StepFailure(STEP, "cannot download " + url + ": HTTP " + resp.statusCode());
        }
        OptionalLong len = resp.headers().firstValueAsLong("Content-Length");
        return new Download(resp.body(), len);
    }

    /** HttpClient's ConnectException has a null message; say what it was. */
    static String describe(IOException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            Throwable c = e.getCause();
            m = c != null && c.getMessage() != null ? c.getMessage() : "";
        }
        String kind = e.getClass().getSimpleName();
        return m.isBlank() ? kind : kind + ": " + m;
    }
}

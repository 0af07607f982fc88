package dev.shoal.agent.image;

import dev.shoal.agent.StepFailure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.OptionalLong;

/** Where an image's bytes come from: an http(s) URL, or an OCI registry ({@code oci://}). */
public interface ImageSource {
    /** An open download: the bytes as served and their length when known. */
    record Download(InputStream body, OptionalLong length) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    Download open(URI url) throws StepFailure;

    /** http and https by URL, oci through a registry client. */
    static ImageSource byScheme(HttpImageSource http, OciImageSource oci) {
        return url -> "oci".equalsIgnoreCase(url.getScheme()) ? oci.open(url) : http.open(url);
    }
}

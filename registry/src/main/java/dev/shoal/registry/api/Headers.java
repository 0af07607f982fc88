package dev.shoal.registry.api;

/** Header names of the distribution spec that Jetty's HttpHeader does not know. */
final class Headers {
    static final String API_VERSION = "Docker-Distribution-API-Version";
    static final String CONTENT_DIGEST = "Docker-Content-Digest";
    static final String UPLOAD_UUID = "Docker-Upload-UUID";
    static final String OCI_SUBJECT = "OCI-Subject";
    static final String OCI_FILTERS_APPLIED = "OCI-Filters-Applied";

    private Headers() {
    }
}

package dev.shoal.registry.api;

import java.util.Map;

/**
 * An error to answer with the spec's body {@code {"errors":[{"code","message","detail"}]}}. {@code status} is the
 * code's own unless a case needs another (413 for an oversized manifest). {@code headers} are added to the
 * response, e.g. the upload's {@code Range} on a 416 so the client can resume.
 */
public final class RegistryError extends Exception {
    private final ErrorCode code;
    private final int status;
    private final String detail;
    private final Map<String, String> headers;

    public RegistryError(ErrorCode code, String detail) {
        this(code, code.status(), detail, Map.of());
    }

    public RegistryError(ErrorCode code, int status, String detail, Map<String, String> headers) {
        super(code + ": " + detail);
        this.code = code;
        this.status = status;
        this.detail = detail;
        this.headers = headers;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return detail;
    }

    public Map<String, String> headers() {
        return headers;
    }
}

package dev.shoal.controller.http;

import java.util.List;

/**
 * An error the client should see: status, a stable machine-readable code and a message for a person.
 * Rendered as {@code {"error": {"code": ..., "message": ..., "details": [...]}}}.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String code;
    private final List<FieldError> details;

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public ApiException(int status, String code, String message, List<FieldError> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = List.copyOf(details);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "invalid_request", field + ": " + message, List.of(new FieldError(field, message)));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<FieldError> details() {
        return details;
    }

    /** One invalid input, named by its JSON path (e.g. {@code server.bmc_url}) or query parameter. */
    public record FieldError(String field, String message) {
    }
}

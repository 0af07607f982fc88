package dev.shoal.controller.http;

/** One API operation. Runs on a virtual thread, so it may block on the database. */
@FunctionalInterface
public interface Endpoint {
    ApiResponse handle(ApiRequest request) throws Exception;
}

package dev.shoal.controller.http;

/** The request attribute under which authentication leaves the caller's name, for endpoints and the access log. */
public final class Principal {
    public static final String ATTRIBUTE = "shoal.principal";
    /** The matched route template, so metrics and logs group by route instead of by raw path. */
    public static final String ROUTE_ATTRIBUTE = "shoal.route";

    private Principal() {
    }
}

package dev.shoal.redfish.transport;

/**
 * What a vendor needs of the transport. Filled in from the vendor's quirk profile once discovery knows who
 * the BMC is; until then the generic defaults apply.
 *
 * @param acceptEncodingIdentity send {@code Accept-Encoding: identity} (some BMCs send broken gzip; iLO answers it with 406)
 * @param connectionClose open a new connection per request (BMCs whose keep-alive handling is broken)
 * @param transientErrors 4xx answers this vendor gives while busy, retried like 5xx
 * @param permanentErrors 5xx answers that retrying cannot change (iDRAC's 500 to ejecting an empty slot)
 */
public record TransportQuirks(boolean acceptEncodingIdentity, boolean connectionClose, ErrorRule transientErrors,
                              ErrorRule permanentErrors) {
    public static final TransportQuirks GENERIC = new TransportQuirks(true, false, ErrorRule.NONE, ErrorRule.NONE);

    public TransportQuirks(boolean acceptEncodingIdentity, boolean connectionClose, ErrorRule transientErrors) {
        this(acceptEncodingIdentity, connectionClose, transientErrors, ErrorRule.NONE);
    }

    @FunctionalInterface
    public interface ErrorRule {
        ErrorRule NONE = (method, path, error) -> false;

        boolean matches(String method, String path, RedfishError error);
    }
}

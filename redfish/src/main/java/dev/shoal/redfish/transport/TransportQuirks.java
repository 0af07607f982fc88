package dev.shoal.redfish.transport;

/**
 * What a vendor needs of the transport. Filled in from the vendor's quirk profile once discovery knows who
 * the BMC is; until then the generic defaults apply.
 *
 * @param acceptEncodingIdentity send {@code Accept-Encoding: identity} (some BMCs send broken gzip; iLO answers it with 406)
 * @param connectionClose open a new connection per request (BMCs whose keep-alive handling is broken)
 * @param transientErrors 4xx answers this vendor gives while busy, retried like 5xx
 */
public record TransportQuirks(boolean acceptEncodingIdentity, boolean connectionClose, TransientErrors transientErrors) {
    public static final TransportQuirks GENERIC = new TransportQuirks(true, false, (method, path, error) -> false);

    @FunctionalInterface
    public interface TransientErrors {
        boolean isTransient(String method, String path, RedfishError error);
    }
}

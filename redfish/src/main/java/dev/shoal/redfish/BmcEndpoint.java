package dev.shoal.redfish;

import dev.shoal.redfish.quirks.Vendor;
import dev.shoal.redfish.transport.Credentials;
import dev.shoal.redfish.transport.TlsPolicy;

import java.net.URI;
import java.util.Optional;

/** Where a BMC is and how to talk to it; {@code vendor} empty means detect the quirk profile. */
public record BmcEndpoint(URI url, Credentials credentials, TlsPolicy tls, Optional<String> systemId,
                          Optional<Vendor> vendor) {
}

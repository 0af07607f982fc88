package dev.shoal.bmcsim.bmc;

import java.time.Instant;

/**
 * One request a BMC received. {@code body} is kept for PATCH and POST only, with password values masked;
 * {@code status} 0 means the connection was dropped without an answer (a fault). {@code client} tells callers apart
 * without naming a secret: {@code session:<id>} for a Redfish session, {@code basic} for Basic auth, empty for none;
 * it shows whether two conversations changed one server at the same time.
 */
public record RequestRecord(Instant time, String method, String path, int status, String body, String client) {
}

package dev.shoal.bmcsim.bmc;

import java.time.Instant;

/**
 * One request a BMC received. {@code body} is kept for PATCH and POST only, with password values masked;
 * {@code status} 0 means the connection was dropped without an answer (a fault).
 */
public record RequestRecord(Instant time, String method, String path, int status, String body) {
}

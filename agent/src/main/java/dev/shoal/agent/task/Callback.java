package dev.shoal.agent.task;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

/**
 * Where and how the agent reports: job id, controller base URL, bearer token, the job's 32-byte signing key
 * (hex in task.json; the raw bytes are the HMAC key) and the controller's CA certificates, if any.
 * {@code toString} masks the token and the key.
 */
public record Callback(String jobId, URI controllerUrl, String agentToken, byte[] jobKey,
                       List<X509Certificate> caCerts) {
    public static final int KEY_LENGTH = 32;

    public Callback {
        if (jobKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("a job key is " + KEY_LENGTH + " bytes, not " + jobKey.length);
        }
        jobKey = jobKey.clone();
        caCerts = List.copyOf(caCerts);
    }

    public static Callback of(String jobId, URI controllerUrl, String agentToken, String jobKeyHex) {
        return new Callback(jobId, controllerUrl, agentToken, HexFormat.of().parseHex(jobKeyHex), List.of());
    }

    @Override
    public byte[] jobKey() {
        return jobKey.clone();
    }

    /** {@code {controller_url}/api/v1/jobs/{job_id}/agent/events}. */
    public URI eventsUrl() {
        String base = controllerUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/api/v1/jobs/" + jobId + "/agent/events");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Callback c && jobId.equals(c.jobId) && controllerUrl.equals(c.controllerUrl)
                && agentToken.equals(c.agentToken) && java.util.Arrays.equals(jobKey, c.jobKey) && caCerts.equals(c.caCerts);
    }

    @Override
    public int hashCode() {
        return jobId.hashCode();
    }

    @Override
    public String toString() {
        return "Callback[job_id=" + jobId + ", controller_url=" + controllerUrl + ", agent_token=***, job_key=***, ca_certs="
                + caCerts.size() + "]";
    }
}

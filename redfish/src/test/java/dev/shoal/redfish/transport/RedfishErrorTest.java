package dev.shoal.redfish.transport;

import dev.shoal.redfish.Fixtures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The BMC's own words survive into our errors, from error bodies real BMCs sent. */
class RedfishErrorTest {

    @Test
    void extendedInfoMessagesAndIdsAreKept() {
        RedfishError e = RedfishError.of(400, Fixtures.json("transfer_proto_required_error.json"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.message()).contains("requires the parameter TransferProtocolType");
        assertThat(e.hasMessageId("ActionParameterMissing")).isTrue();
        assertThat(e.mentions("transferprotocoltype")).isTrue();
        assertThat(e.toString()).startsWith("HTTP 400 [Base.1.5.ActionParameterMissing");
    }

    @Test
    void everyErrorFixtureYieldsAMessage() {
        for (String f : new String[] {"error.json", "error_single_ext_info.json", "credentials_required_error.json",
                "transfer_method_required_error.json", "transfer_proto_required_error2.json",
                "transfer_proto_required_error3.json", "session_error.json", "dell/error_pending_job.json",
                "dell/error_running_job.json"}) {
            RedfishError e = RedfishError.of(400, Fixtures.json(f));
            assertThat(e.message()).as(f).isNotBlank().isNotEqualTo("HTTP 400");
            assertThat(e.messageIds()).as(f).isNotEmpty();
        }
    }

    @Test
    void anHtmlOrEmptyBodyStillSaysSomething() {
        assertThat(RedfishError.of(503, RedfishTransport.parse("<html>Service Unavailable</html>".getBytes())).message())
                .contains("Service Unavailable");
        assertThat(RedfishError.of(502, RedfishTransport.parse(new byte[0])).message()).isEqualTo("HTTP 502");
    }

    @Test
    void messageIdSuffixMatchesAnyRegistryVersion() {
        RedfishError e = new RedfishError(404, "iDRAC is not ready", java.util.List.of("IDRAC.2.8.SYS518"));
        assertThat(e.hasMessageId("SYS518")).isTrue();
        assertThat(e.hasMessageId("SYS51")).isFalse();
    }
}

package dev.shoal.redfish.quirks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.shoal.redfish.Fixtures;
import dev.shoal.redfish.transport.RedfishError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuirkProfilesTest {
    static JsonNode manufacturer(String m) {
        return JsonMapper.builder().build().createObjectNode().put("Manufacturer", m);
    }

    @Test
    void detectsDellFromARealIdracTree() {
        assertThat(QuirkProfiles.detect(Fixtures.json("dell/root.json"), Fixtures.json("dell/system.json"),
                Fixtures.json("dell/manager.json"))).isEqualTo(Vendor.DELL);
    }

    @Test
    void theDmtfMockupIsGeneric() {
        assertThat(QuirkProfiles.detect(Fixtures.json("root.json"), Fixtures.json("system.json"),
                Fixtures.json("manager.json"))).isEqualTo(Vendor.GENERIC);
    }

    @Test
    void detectsEachVendorFromItsManufacturer() {
        JsonNode none = MissingNode.getInstance();
        assertThat(QuirkProfiles.detect(none, manufacturer("HPE"), none)).isEqualTo(Vendor.HPE);
        assertThat(QuirkProfiles.detect(none, manufacturer("Supermicro"), none)).isEqualTo(Vendor.SUPERMICRO);
        assertThat(QuirkProfiles.detect(none, manufacturer("Lenovo"), none)).isEqualTo(Vendor.LENOVO);
        assertThat(QuirkProfiles.detect(none, manufacturer("ASRockRack"), none)).isEqualTo(Vendor.AMI);
        assertThat(QuirkProfiles.detect(none, manufacturer("AMI"), none)).isEqualTo(Vendor.AMI);
        assertThat(QuirkProfiles.detect(none, manufacturer("OpenBMC"), none)).isEqualTo(Vendor.OPENBMC);
        assertThat(QuirkProfiles.detect(none, manufacturer("Cisco Systems Inc"), none)).isEqualTo(Vendor.CISCO);
        assertThat(QuirkProfiles.detect(none, manufacturer("Dynamic Family Computers"), none))
                .as("'ami' inside a word is not AMI").isEqualTo(Vendor.GENERIC);
    }

    @Test
    void vendorTransientErrorsAreTheirOwn() {
        var dell = QuirkProfiles.of(Vendor.DELL).transport().transientErrors();
        var hpe = QuirkProfiles.of(Vendor.HPE).transport().transientErrors();
        RedfishError sys518 = new RedfishError(404, "iDRAC is not ready", List.of("IDRAC.2.8.SYS518"));
        RedfishError post = new RedfishError(400, "busy", List.of("iLO.2.15.UnableToModifyDuringSystemPOST"));
        assertThat(dell.matches("GET", "/redfish/v1/Systems/System.Embedded.1", sys518)).isTrue();
        assertThat(hpe.matches("GET", "/x", sys518)).isFalse();
        assertThat(hpe.matches("PATCH", "/redfish/v1/Systems/1", post)).isTrue();
        assertThat(dell.matches("POST", "/redfish/v1/Systems/System.Embedded.1/Actions/ComputerSystem.Reset",
                new RedfishError(409, "conflict", List.of()))).isTrue();
        assertThat(QuirkProfiles.of(Vendor.GENERIC).transport().transientErrors()
                .matches("GET", "/x", sys518)).isFalse();
        assertThat(QuirkProfiles.of(Vendor.DELL).transport().permanentErrors().matches("POST", "/x/VirtualMedia.EjectMedia",
                new RedfishError(500, "No Virtual Media devices are currently connected.", List.of("IDRAC.2.8.VRM0009")))).isTrue();
        assertThat(QuirkProfiles.of(Vendor.HPE).transport().acceptEncodingIdentity()).isFalse();
        assertThat(QuirkProfiles.of(Vendor.SUPERMICRO).cdBootTarget()).isEqualTo("UsbCd");
    }

    @Test
    void vendorNamesAreTheApiOnes() {
        assertThat(Vendor.fromWire("auto")).isEmpty();
        assertThat(Vendor.fromWire("supermicro")).contains(Vendor.SUPERMICRO);
        assertThatThrownBy(() -> Vendor.fromWire("ibm")).hasMessageContaining("unknown vendor \"ibm\"");
    }
}

package dev.shoal.bmcsim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.shoal.bmcsim.http.Json;
import dev.shoal.bmcsim.personality.Personality;
import dev.shoal.bmcsim.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every personality shares, walked the way a client discovers a BMC: root, Systems, the system,
 * its manager, the manager's (or system's) virtual media, a session. Ids and shapes differ per vendor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersonalityShapesTest {
    record Expect(String system, String manager, String manufacturer, String mediaParent, List<String> slots) {
    }

    BmcSimulator sim;

    @BeforeAll
    void start() {
        List<BmcSpec> specs = new ArrayList<>();
        for (Personality p : Personality.values()) {
            specs.add(BmcSpec.of(p.name().toLowerCase(), p));
        }
        sim = BmcSimulator.start(new SimulatorConfig(null, specs, 0, null, false));
    }

    @AfterAll
    void stop() {
        sim.close();
    }

    static Expect expect(Personality p) {
        return switch (p) {
            case GENERIC -> new Expect("437XR1138R2", "BMC", "Contoso", "Managers/BMC", List.of("CD1", "Floppy1"));
            case DELL -> new Expect("System.Embedded.1", "iDRAC.Embedded.1", "Dell Inc.", "Managers/iDRAC.Embedded.1", List.of("CD", "RemovableDisk"));
            case DELL_IDRAC10 -> new Expect("System.Embedded.1", "iDRAC.Embedded.1", "Dell Inc.", "Systems/System.Embedded.1", List.of("1", "2"));
            case HPE -> new Expect("1", "1", "HPE", "Managers/1", List.of("1", "2"));
            case SUPERMICRO -> new Expect("1", "1", "Supermicro", "Managers/1", List.of("CD1", "USB1"));
            case LENOVO -> new Expect("1", "1", "Lenovo", "Managers/1", List.of("EXT1", "EXT2", "EXT3", "EXT4", "RDOC1", "RDOC2",
                    "Remote1", "Remote2", "Remote3", "Remote4"));
            case AMI -> new Expect("Self", "Self", "ASRockRack", "Managers/Self", List.of("CD1", "USBStick1"));
            case OPENBMC -> new Expect("system", "bmc", "OpenBMC", "Managers/bmc", List.of("Slot_0", "Slot_1"));
            case CISCO -> new Expect("WZP23150UJV", "CIMC", "Cisco Systems Inc", "Managers/CIMC", List.of("0", "1", "2", "3"));
        };
    }

    @ParameterizedTest
    @EnumSource(Personality.class)
    void discoveryWalksToTheVirtualMedia(Personality p) {
        SimulatedBmc bmc = sim.bmc(p.name().toLowerCase());
        Expect e = expect(p);
        Http anon = Http.to(bmc.baseUri());
        Http c = Http.to(bmc.baseUri()).basic(bmc.credentials());
        JsonNode root = anon.get("/redfish/v1/").json();
        assertThat(root.path("Systems").path("@odata.id").asText()).isEqualTo("/redfish/v1/Systems");
        String sysPath = c.get("/redfish/v1/Systems").json().path("Members").path(0).path("@odata.id").asText();
        assertThat(sysPath).isEqualTo("/redfish/v1/Systems/" + e.system());
        JsonNode sys = c.get(sysPath).json();
        assertThat(sys.path("Id").asText()).isEqualTo(e.system());
        assertThat(sys.path("Manufacturer").asText()).isEqualTo(e.manufacturer());
        assertThat(sys.path("PowerState").asText()).isEqualTo("Off");
        String mgrPath = sys.path("Links").path("ManagedBy").path(0).path("@odata.id").asText();
        assertThat(mgrPath).isEqualTo("/redfish/v1/Managers/" + e.manager());
        JsonNode mgr = c.get(mgrPath).json();
        assertThat(mgr.path("ServiceEntryPointUUID").isTextual()).isTrue();
        JsonNode holder = e.mediaParent().startsWith("Managers") ? mgr : sys;
        String coll = holder.path("VirtualMedia").path("@odata.id").asText();
        assertThat(coll).isEqualTo("/redfish/v1/" + e.mediaParent() + "/VirtualMedia");
        List<String> members = new ArrayList<>();
        c.get(coll).json().path("Members").forEach(m -> members.add(m.path("@odata.id").asText()));
        assertThat(members).containsExactlyElementsOf(e.slots().stream().map(s -> coll + "/" + s).toList());
        JsonNode slot = c.get(members.get(0)).json();
        assertThat(slot.path("Id").asText()).isEqualTo(e.slots().get(0));
        assertThat(slot.has("Inserted")).isTrue();
        assertThat(slot.path("MediaTypes").isArray()).isTrue();

        String login = root.path("Links").path("Sessions").path("@odata.id").asText();
        var session = anon.post(login, Json.object().put("UserName", bmc.credentials().username()).put("Password", bmc.credentials().password()));
        assertThat(session.status()).isEqualTo(201);
        assertThat(Http.to(bmc.baseUri()).token(session.header("X-Auth-Token")).get(sysPath).status()).isEqualTo(200);
        assertThat(Http.to(bmc.baseUri()).token(session.header("X-Auth-Token")).delete(session.header("Location")).status()).isEqualTo(204);
    }
}

package dev.shoal.bmcsim.agentmachine;

import dev.shoal.bmcsim.SimulatedBmc;
import dev.shoal.bmcsim.http.Json;
import dev.shoal.bmcsim.support.Http;
import dev.shoal.iso.IsoWriter;

import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** What a controller does to provision through a generic-personality BMC, over real Redfish calls; and the ISOs it uses. */
final class Provisioning {
    static final String SYS = "/redfish/v1/Systems/437XR1138R2";
    static final String MEDIA = "/redfish/v1/Managers/BMC/VirtualMedia/";
    static final String KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    /** One job's callback identity. */
    record Job(String id, String token) {
        static Job random() {
            return new Job(UUID.randomUUID().toString(), "token-" + UUID.randomUUID());
        }
    }

    private Provisioning() {
    }

    static Http redfish(SimulatedBmc bmc) {
        return Http.to(bmc.baseUri()).basic(bmc.credentials());
    }

    static void insert(Http c, String slot, String url) {
        Http.Resp r = c.post(MEDIA + slot + "/Actions/VirtualMedia.InsertMedia", Json.object().put("Image", url));
        assertThat(r.status()).as("insert %s into %s: %s", url, slot, r).isEqualTo(204);
    }

    static void bootOverride(Http c, String target, String enabled) {
        Http.Resp r = c.patch(SYS, Json.object().set("Boot", Json.object().put("BootSourceOverrideTarget", target)
                .put("BootSourceOverrideEnabled", enabled).put("BootSourceOverrideMode", "UEFI")));
        assertThat(r.status()).as("boot override: %s", r).isEqualTo(204);
    }

    static void reset(Http c, String type) {
        Http.Resp r = c.post(SYS + "/Actions/ComputerSystem.Reset", Json.object().put("ResetType", type));
        assertThat(r.status()).as("reset %s: %s", type, r).isEqualTo(204);
    }

    /** Maintenance ISO in CD1, task ISO in Floppy1, a one-time Cd override, power on. */
    static void provision(SimulatedBmc bmc, String maintenanceUrl, String taskUrl) {
        Http c = redfish(bmc);
        insert(c, "CD1", maintenanceUrl);
        insert(c, "Floppy1", taskUrl);
        bootOverride(c, "Cd", "Once");
        reset(c, "On");
    }

    /** A stand-in live OS: any label but SHOAL-TASK, and over 64 KiB so the BMC needs several Range requests. */
    static byte[] maintenanceIso() throws IOException {
        return IsoWriter.builder().volumeId("DEBIAN_LIVE").file("live/vmlinuz", random(150_000, 7))
                .file("live/initrd.img", random(40_000, 8)).build().toByteArray();
    }

    /** The task ISO as the controller builds it: volume SHOAL-TASK with task.json; {@code more} adds top-level fields. */
    static byte[] taskIso(Job job, URI controller, String recipe, String more) throws IOException {
        String json = """
                {"job_id": "%s", "controller_url": "%s", "agent_token": "%s", "job_key": "%s", "recipe": %s%s}"""
                .formatted(job.id(), controller, job.token(), KEY, recipe, more);
        return IsoWriter.builder().volumeId("SHOAL-TASK").file("task.json", json).build().toByteArray();
    }

    static String rawRecipe(String url, byte[] image) {
        return """
                {"kind": "image", "url": "%s", "checksum": "sha256:%s", "format": "raw"}""".formatted(url, sha256(image));
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

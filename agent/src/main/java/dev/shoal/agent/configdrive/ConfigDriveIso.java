package dev.shoal.agent.configdrive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.agent.task.ConfigDrive;
import dev.shoal.iso.IsoWriter;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The config-2 filesystem, laid out as OpenStack (Nova, Ironic) writes it and cloud-init's ConfigDrive datasource
 * reads it: that datasource finds the filesystem by its label {@code config-2}, lists {@code openstack/}, picks the
 * newest dated version it knows (2018-08-27 is its newest) and only falls back to {@code latest} when none is
 * present. So both directories carry the same files: meta_data.json (required by the reader), user_data (optional,
 * left out when empty, as Nova does) and network_data.json. Rock Ridge keeps the lower-case names.
 */
public final class ConfigDriveIso {
    public static final String LABEL = "config-2";
    /** {@code latest} plus the newest dated version cloud-init looks for (OS_ROCKY in its openstack helper). */
    public static final List<String> VERSIONS = List.of("latest", "2018-08-27");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigDriveIso() {
    }

    public static IsoWriter of(ConfigDrive drive) {
        IsoWriter.Builder b = IsoWriter.builder().volumeId(LABEL);
        byte[] meta = json(drive.metaData());
        byte[] network = json(drive.networkData());
        for (String version : VERSIONS) {
            String dir = "openstack/" + version + "/";
            b.file(dir + "meta_data.json", meta);
            drive.userData().filter(u -> !u.isEmpty())
                    .ifPresent(u -> b.file(dir + "user_data", u.getBytes(StandardCharsets.UTF_8)));
            b.file(dir + "network_data.json", network);
        }
        return b.build();
    }

    private static byte[] json(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // an ObjectNode always serialises
        }
    }
}

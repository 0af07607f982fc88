package dev.shoal.agent.task;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/** {@code recipe.config_drive}: the content of the config-2 partition. {@code toString} masks user_data (it often holds passwords). */
public record ConfigDrive(ObjectNode metaData, Optional<String> userData, ObjectNode networkData) {
    public ConfigDrive {
        metaData = metaData.deepCopy();
        networkData = networkData.deepCopy();
    }

    @Override
    public ObjectNode metaData() {
        return metaData.deepCopy();
    }

    @Override
    public ObjectNode networkData() {
        return networkData.deepCopy();
    }

    @Override
    public String toString() {
        return "ConfigDrive[meta_data=" + metaData + ", user_data=" + (userData.isPresent() ? "***" : "none")
                + ", network_data=" + networkData + "]";
    }
}

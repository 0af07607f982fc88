package dev.shoal.agent.task;

import java.net.URI;
import java.util.Optional;

/** What the job asks the agent to put on the disk. */
public sealed interface Recipe {
    RootDeviceHints rootDevice();

    Optional<ConfigDrive> configDrive();

    /** {@code kind: image}: a disk image by URL ({@code http}, {@code https}, or {@code oci}, an artifact in a registry). */
    record Image(URI url, Checksum checksum, ImageFormat format, RootDeviceHints rootDevice,
                 Optional<ConfigDrive> configDrive) implements Recipe {
    }

    /** {@code kind: bootc}: parsed so the agent can fail it by name; installing it is not implemented yet. */
    record Bootc(String image, RootDeviceHints rootDevice, Optional<ConfigDrive> configDrive) implements Recipe {
    }
}

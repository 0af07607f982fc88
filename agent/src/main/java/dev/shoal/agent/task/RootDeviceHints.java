package dev.shoal.agent.task;

import java.util.Optional;

/**
 * Ironic-style root device hints from {@code recipe.root_device}; all optional. The agent selects its target disk
 * by them ({@link dev.shoal.agent.disk.RootDeviceSelector}) unless {@code --disk} names it.
 */
public record RootDeviceHints(Optional<String> name, Optional<String> serial, Optional<String> wwn,
                              Optional<String> model, Optional<String> vendor, Optional<Double> sizeMinGib,
                              Optional<Double> sizeMaxGib, Optional<Boolean> rotational, Optional<String> prefer) {
    public static final RootDeviceHints NONE = new RootDeviceHints(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty());

    public boolean isEmpty() {
        return equals(NONE);
    }
}

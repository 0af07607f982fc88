package dev.shoal.agent.task;

/** The disk format of the image after decompression. */
public enum ImageFormat {
    RAW, QCOW2;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

package dev.shoal.bmcsim.bmc;

/** The mutable resources that carry ETags; personalities tag some differently (weak, empty). */
public enum EtagKind {
    SYSTEM, VIRTUAL_MEDIA, SETTINGS
}

package dev.shoal.redfish.quirks;

/**
 * Supermicro. InsertMedia rejects the Inserted and WriteProtected parameters; the virtual CD boots as
 * BootSourceOverrideTarget {@code UsbCd}; image URLs may not contain '?' or '=' (Shoal's signed media URLs
 * keep their signature in the path for this reason). BootSourceOverrideEnabled is required on every boot
 * PATCH, which the boot sequence always sends.
 */
final class Supermicro {
    private Supermicro() {
    }

    static QuirkProfile profile() {
        return QuirkProfile.generic(Vendor.SUPERMICRO).withCdBootTarget("UsbCd").withoutInsertedWriteProtected()
                .withImageUrlForbidsQuery();
    }
}

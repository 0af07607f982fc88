package dev.shoal.redfish.quirks;

/** OpenBMC (bmcweb). Virtual media from a URL must be HTTPS; an http:// image is refused before any request. */
final class OpenBmc {
    private OpenBmc() {
    }

    static QuirkProfile profile() {
        return QuirkProfile.generic(Vendor.OPENBMC).withHttpsImagesOnly();
    }
}

package dev.shoal.redfish.quirks;

/**
 * Lenovo XCC. Its VirtualMedia slots have no InsertMedia/EjectMedia actions: media are inserted and ejected
 * by PATCHing the slot, which its {@code Allow} header permits. The boot sequence takes that path for any
 * BMC whose slots lack the actions, so the profile itself is generic.
 */
final class Lenovo {
    private Lenovo() {
    }

    static QuirkProfile profile() {
        return QuirkProfile.generic(Vendor.LENOVO);
    }
}

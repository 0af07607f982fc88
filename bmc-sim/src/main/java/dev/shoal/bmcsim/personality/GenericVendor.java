package dev.shoal.bmcsim.personality;

/** Plain DMTF Redfish, shaped like the DMTF mockups (Systems/437XR1138R2, Managers/BMC). */
final class GenericVendor extends Vendor {
    GenericVendor() {
        super(DMTF);
    }

    @Override
    public boolean mediaUnderSystem() {
        return true;
    }

    @Override
    public boolean mediaPatch() {
        return true;
    }
}

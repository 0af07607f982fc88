package dev.shoal.bmcsim.personality;

import dev.shoal.bmcsim.Credentials;

/** Plain DMTF Redfish, shaped like the DMTF mockups (Systems/437XR1138R2, Managers/BMC). */
final class GenericVendor extends Vendor {
    @Override
    public Credentials defaultCredentials() {
        return new Credentials("admin", "password");
    }
}

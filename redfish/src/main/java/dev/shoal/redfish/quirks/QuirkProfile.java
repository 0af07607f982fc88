package dev.shoal.redfish.quirks;

import dev.shoal.redfish.transport.TransportQuirks;

import java.util.List;

/**
 * Everything Shoal does differently for one BMC family, as values. Each vendor's class builds its profile and
 * says where the knowledge comes from; the boot sequence only reads the profile.
 *
 * @param cdBootTarget BootSourceOverrideTarget that boots the virtual CD ("Cd"; Supermicro "UsbCd")
 * @param insertSendsInsertedWriteProtected whether InsertMedia may carry Inserted/WriteProtected (Supermicro rejects them)
 * @param imageUrlForbidsQuery the BMC rejects image URLs with '?' or '='
 * @param httpsImagesOnly the BMC fetches virtual media over HTTPS only
 * @param cdMediaTypes MediaTypes that mark a slot able to take an ISO, in order of preference
 */
public record QuirkProfile(Vendor vendor, TransportQuirks transport, String cdBootTarget,
                           boolean insertSendsInsertedWriteProtected, boolean imageUrlForbidsQuery,
                           boolean httpsImagesOnly, List<String> cdMediaTypes) {

    static QuirkProfile generic(Vendor vendor) {
        return new QuirkProfile(vendor, TransportQuirks.GENERIC, "Cd", true, false, false, List.of("CD", "DVD"));
    }

    QuirkProfile withTransport(TransportQuirks t) {
        return new QuirkProfile(vendor, t, cdBootTarget, insertSendsInsertedWriteProtected, imageUrlForbidsQuery, httpsImagesOnly, cdMediaTypes);
    }

    QuirkProfile withCdBootTarget(String target) {
        return new QuirkProfile(vendor, transport, target, insertSendsInsertedWriteProtected, imageUrlForbidsQuery, httpsImagesOnly, cdMediaTypes);
    }

    QuirkProfile withoutInsertedWriteProtected() {
        return new QuirkProfile(vendor, transport, cdBootTarget, false, imageUrlForbidsQuery, httpsImagesOnly, cdMediaTypes);
    }

    QuirkProfile withImageUrlForbidsQuery() {
        return new QuirkProfile(vendor, transport, cdBootTarget, insertSendsInsertedWriteProtected, true, httpsImagesOnly, cdMediaTypes);
    }

    QuirkProfile withHttpsImagesOnly() {
        return new QuirkProfile(vendor, transport, cdBootTarget, insertSendsInsertedWriteProtected, imageUrlForbidsQuery, true, cdMediaTypes);
    }

    QuirkProfile withCdMediaTypes(List<String> types) {
        return new QuirkProfile(vendor, transport, cdBootTarget, insertSendsInsertedWriteProtected, imageUrlForbidsQuery, httpsImagesOnly, types);
    }
}

package dev.shoal.bmcsim.personality;

import dev.shoal.bmcsim.Credentials;

import java.util.function.Supplier;

/**
 * The vendors the simulator imitates. Each names one class that holds all of that vendor's quirks;
 * GENERIC is plain DMTF Redfish.
 */
public enum Personality {
    GENERIC(GenericVendor::new),
    DELL(DellVendor::new),
    DELL_IDRAC10(Idrac10Vendor::new),
    HPE(HpeVendor::new),
    SUPERMICRO(SupermicroVendor::new),
    LENOVO(LenovoVendor::new),
    AMI(AmiVendor::new),
    OPENBMC(OpenBmcVendor::new),
    CISCO(CiscoVendor::new);

    private final Supplier<Vendor> factory;

    Personality(Supplier<Vendor> factory) {
        this.factory = factory;
    }

    /** A fresh quirk set (vendors are stateless today, but a fresh one per BMC keeps that an option). */
    public Vendor vendor() {
        return factory.get();
    }

    /**
     * A personality from a name as an operator types it: the enum name in any case, with '-' for '_', or a
     * common alias (idrac/idrac9, idrac10, ilo/ilo5/ilo6, smc, xcc, megarac/asrockrack, bmcweb, cimc/ucs, dmtf).
     */
    public static Personality parse(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
        return switch (n) {
            case "dmtf" -> GENERIC;
            case "idrac", "idrac9" -> DELL;
            case "idrac10", "dell_idrac10" -> DELL_IDRAC10;
            case "ilo", "ilo5", "ilo6" -> HPE;
            case "smc" -> SUPERMICRO;
            case "xcc" -> LENOVO;
            case "megarac", "asrockrack" -> AMI;
            case "bmcweb" -> OPENBMC;
            case "cimc", "ucs" -> CISCO;
            default -> {
                for (Personality p : values()) {
                    if (p.name().equalsIgnoreCase(n)) {
                        yield p;
                    }
                }
                throw new IllegalArgumentException("unknown BMC personality '" + name + "'; known: "
                        + java.util.Arrays.toString(values()).toLowerCase(java.util.Locale.ROOT));
            }
        };
    }

    /** The factory-default account of the real product (root/calvin on iDRAC, ADMIN/ADMIN on Supermicro...). */
    public Credentials defaultCredentials() {
        return vendor().defaultCredentials();
    }
}

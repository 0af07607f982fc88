package dev.shoal.redfish.quirks;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;

/** Picks the quirk profile: the operator's choice when given, else detected from what the BMC says it is. */
public final class QuirkProfiles {
    private QuirkProfiles() {
    }

    public static QuirkProfile of(Vendor vendor) {
        return switch (vendor) {
            case GENERIC -> QuirkProfile.generic(Vendor.GENERIC);
            case DELL -> Dell.profile();
            case HPE -> Hpe.profile();
            case SUPERMICRO -> Supermicro.profile();
            case LENOVO -> Lenovo.profile();
            case AMI -> Ami.profile();
            case OPENBMC -> OpenBmc.profile();
            case CISCO -> Cisco.profile();
        };
    }

    /** From the service root's Vendor and Oem, then the system's and manager's Manufacturer. */
    public static Vendor detect(JsonNode serviceRoot, JsonNode system, JsonNode manager) {
        String text = String.join(" | ",
                serviceRoot.path("Vendor").asText(""),
                String.join(",", iterable(serviceRoot.path("Oem").fieldNames())),
                system.path("Manufacturer").asText(""),
                String.join(",", iterable(system.path("Oem").fieldNames())),
                manager.path("Manufacturer").asText(""),
                manager.path("Model").asText(""),
                serviceRoot.path("Product").asText("")).toLowerCase(Locale.ROOT);
        if (text.contains("dell")) return Vendor.DELL;
        if (text.contains("hpe") || text.contains("hewlett") || text.matches("(?s).*\\bhp\\b.*")) return Vendor.HPE;
        if (text.contains("supermicro")) return Vendor.SUPERMICRO;
        if (text.contains("lenovo")) return Vendor.LENOVO;
        if (text.contains("cisco")) return Vendor.CISCO;
        if (text.contains("openbmc")) return Vendor.OPENBMC;
        if (text.matches("(?s).*\\bami\\b.*") || text.contains("asrock") || text.contains("megarac")) return Vendor.AMI;
        return Vendor.GENERIC;
    }

    private static Iterable<String> iterable(java.util.Iterator<String> it) {
        return () -> it;
    }
}

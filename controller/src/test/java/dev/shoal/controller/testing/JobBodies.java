package dev.shoal.controller.testing;

/** Request bodies for tests: a valid job, and variations of it. */
public final class JobBodies {
    public static final String BMC_PASSWORD = "bmc-pass-Zq8Y3vLr";
    public static final String CHECKSUM = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    private JobBodies() {
    }

    public static String image(String bmcHost) {
        return """
                {"server": {"bmc_url": "https://%s", "username": "root", "password": "%s"},
                 "recipe": {"kind": "image", "url": "https://images.example.org/debian-12.raw",
                            "checksum": "%s", "root_device": {"size_min_gib": 8},
                            "config_drive": {"meta_data": {"hostname": "node-1"}, "user_data": "#cloud-config\\npassword: ud-secret-9k2", "network_data": {}}},
                 "labels": {"rack": "r12"}}""".formatted(bmcHost, BMC_PASSWORD, CHECKSUM);
    }

    public static String image() {
        return image("10.0.0.5");
    }
}

package dev.shoal.redfish.discovery;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a BMC can do what a job needs: two virtual media slots that take an ISO (or an ISO and a USB
 * stick), a way to insert into them, a one-time boot override to the virtual CD, UEFI mode, and power control.
 */
public record Capabilities(List<Finding> findings) {
    public enum Level { OK, WARN, FAIL }

    public record Finding(Level level, String what) {
        @Override
        public String toString() {
            return level + "  " + what;
        }
    }

    public boolean ready() {
        return findings.stream().noneMatch(f -> f.level() == Level.FAIL);
    }

    public static Capabilities of(BmcInventory inv, boolean session) {
        List<Finding> f = new ArrayList<>();
        f.add(new Finding(Level.OK, "quirk profile: " + inv.profile().vendor().wire()
                + (inv.vendorDetected() ? " (detected from \"" + inv.manufacturer() + "\")" : " (chosen by the operator)")));
        f.add(new Finding(session ? Level.OK : Level.WARN, session ? "authentication: session (SessionService)"
                : "authentication: HTTP Basic (the BMC offers no session, or refused one)"));
        List<VirtualMediaSlot> iso = inv.slots().stream()
                .filter(s -> inv.profile().cdMediaTypes().stream().anyMatch(s::accepts)).toList();
        List<VirtualMediaSlot> usb = inv.slots().stream().filter(s -> s.accepts("USBStick") && !iso.contains(s)).toList();
        for (VirtualMediaSlot s : inv.slots()) {
            String how = s.insertTarget().isPresent() ? "InsertMedia action" : s.patchable() ? "PATCH" : "no way to insert";
            f.add(new Finding(s.insertTarget().isPresent() || s.patchable() ? Level.OK : Level.WARN,
                    "slot " + s.id() + " " + s.mediaTypes() + " under the " + (s.underSystem() ? "System" : "Manager")
                            + ": " + how + s.image().map(i -> ", holds " + i).orElse("")));
        }
        if (iso.isEmpty()) {
            f.add(new Finding(Level.FAIL, "no virtual media slot takes a CD/DVD image"));
        } else if (iso.size() + usb.size() < 2) {
            f.add(new Finding(Level.FAIL, "only one virtual media slot: a job needs two (maintenance ISO and task ISO)"));
        } else {
            f.add(new Finding(Level.OK, "slots for maintenance and task ISO: " + iso.getFirst().id() + " and "
                    + (iso.size() > 1 ? iso.get(1).id() : usb.getFirst().id())));
        }
        List<String> targets = inv.allowable("BootSourceOverrideTarget");
        String cd = inv.profile().cdBootTarget();
        f.add(new Finding(targets.isEmpty() || targets.contains(cd) ? Level.OK : Level.FAIL,
                "boot override target " + cd + (targets.isEmpty() ? " (the BMC does not list allowed targets)" : " in " + targets)));
        List<String> enabled = inv.allowable("BootSourceOverrideEnabled");
        f.add(new Finding(enabled.isEmpty() || enabled.contains("Once") ? Level.OK : Level.FAIL,
                "one-time boot override" + (enabled.isEmpty() ? "" : " in " + enabled)));
        boolean mode = inv.system().path("Boot").has("BootSourceOverrideMode");
        List<String> modes = inv.allowable("BootSourceOverrideMode");
        f.add(new Finding(!mode ? Level.WARN : modes.isEmpty() || modes.contains("UEFI") ? Level.OK : Level.FAIL,
                mode ? "UEFI boot mode" + (modes.isEmpty() ? "" : " in " + modes)
                        : "the BMC has no BootSourceOverrideMode: boot mode cannot be set"));
        if (!inv.bootSettingsPath().equals(inv.systemPath())) {
            f.add(new Finding(Level.OK, "boot settings are applied through " + inv.bootSettingsPath()));
        }
        List<String> resets = inv.resetTypes();
        boolean power = resets.isEmpty() || (resets.contains("On") && resets.contains("ForceOff"));
        f.add(new Finding(power ? Level.OK : Level.FAIL, "power control On/ForceOff" + (resets.isEmpty() ? "" : " in " + resets)));
        return new Capabilities(List.copyOf(f));
    }
}

package dev.shoal.redfish.boot;

import dev.shoal.redfish.discovery.BmcInventory;
import dev.shoal.redfish.discovery.VirtualMediaSlot;
import dev.shoal.redfish.transport.RedfishError;
import dev.shoal.redfish.transport.RedfishException;
import dev.shoal.redfish.transport.RedfishTransport;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two sequences a job needs, each step an event:
 * boot from ISOs — power off, eject the slots we use, insert the maintenance ISO into a CD slot and the
 * task ISO into a second CD or USB slot, one-time boot to CD in UEFI mode, power on; finish — power off
 * first (a running OS may hold the media), eject, boot to disk, power on; and the clean-up of a job that did not
 * finish — power off, eject.
 */
public final class VirtualMediaBoot {
    private final BmcInventory inventory;
    private final BootEvents events;
    private final PowerControl power;
    private final MediaSlots media;
    private final BootOverride boot;

    public VirtualMediaBoot(RedfishTransport t, BmcInventory inventory, BootEvents events, Duration powerTimeout,
                            Duration poll) {
        this.inventory = inventory;
        this.events = events;
        this.power = new PowerControl(t, inventory, events, powerTimeout, poll);
        this.media = new MediaSlots(t, inventory.profile(), events);
        this.boot = new BootOverride(t, inventory, events);
    }

    /** The slots a boot used, so finishing ejects exactly those. */
    public record Inserted(VirtualMediaSlot maintenance, Optional<VirtualMediaSlot> task) {
    }

    public Inserted bootFromIsos(URI maintenanceIso, Optional<URI> taskIso) {
        List<VirtualMediaSlot> isoSlots = isoSlots();
        List<VirtualMediaSlot> taskSlots = taskSlots(isoSlots);
        if (isoSlots.isEmpty()) {
            throw new RedfishException("the BMC has no virtual media slot that takes a CD/DVD (slots: " + describe(inventory.slots()) + ")");
        }
        if (taskIso.isPresent() && inventory.slots().size() < 2) {
            throw new RedfishException("the BMC has only one virtual media slot (" + describe(inventory.slots())
                    + "); a job needs two, one for the maintenance ISO and one for the task ISO");
        }
        power.off();
        List<VirtualMediaSlot> used = new ArrayList<>(isoSlots);
        taskSlots.stream().filter(s -> !used.contains(s)).forEach(used::add);
        for (VirtualMediaSlot s : used) {
            media.eject(s);
        }
        VirtualMediaSlot maint = insertIntoFirst(isoSlots, maintenanceIso, "maintenance ISO");
        Optional<VirtualMediaSlot> task = Optional.empty();
        if (taskIso.isPresent()) {
            List<VirtualMediaSlot> rest = taskSlots.stream().filter(s -> !s.path().equals(maint.path())).toList();
            if (rest.isEmpty()) {
                throw new RedfishException("no second virtual media slot is left for the task ISO (slots: "
                        + describe(inventory.slots()) + ")");
            }
            task = Optional.of(insertIntoFirst(rest, taskIso.get(), "task ISO"));
        }
        boot.set(inventory.profile().cdBootTarget(), "Once", "UEFI");
        power.on();
        events.step("booting", "server is booting from virtual CD", Map.of("slot", maint.id()));
        return new Inserted(maint, task);
    }

    public void finish(List<VirtualMediaSlot> slots) {
        power.off();
        for (VirtualMediaSlot s : slots.isEmpty() ? ejectable() : slots) {
            media.eject(s);
        }
        boot.disk();
        power.on();
        events.step("booting", "server is booting from disk", Map.of());
    }

    /**
     * What a failed or cancelled job leaves behind: the server off and every slot a job uses empty, so the half-run
     * maintenance OS stops and no BMC keeps fetching an ISO whose URL is about to expire.
     */
    public void powerOffAndEject() {
        power.off();
        for (VirtualMediaSlot s : ejectable()) {
            media.eject(s);
        }
    }

    public PowerControl power() {
        return power;
    }

    public MediaSlots media() {
        return media;
    }

    private VirtualMediaSlot insertIntoFirst(List<VirtualMediaSlot> candidates, URI image, String what) {
        List<String> refusals = new ArrayList<>();
        Optional<RedfishError> lastAnswer = Optional.empty();
        for (VirtualMediaSlot s : candidates) {
            try {
                media.insert(s, image);
                return s;
            } catch (MediaSlots.SlotRefused e) {
                refusals.add(e.getMessage());
                lastAnswer = e.refusal();
                events.step("insert", e.getMessage() + "; trying the next slot", Map.of("slot", s.id()));
            }
        }
        String message = "no virtual media slot took the " + what + " " + image + ": " + refusals;
        // keep the BMC's own words apart, so the job's error can show them as the BMC's message
        throw lastAnswer.map(a -> new RedfishException(message, a)).orElseGet(() -> new RedfishException(message));
    }

    /** Slots that take an ISO, by the profile's media-type preference (CD before DVD, or DVD first on Cisco). */
    private List<VirtualMediaSlot> isoSlots() {
        List<VirtualMediaSlot> out = new ArrayList<>();
        for (String type : inventory.profile().cdMediaTypes()) {
            inventory.slots().stream().filter(s -> s.accepts(type) && !out.contains(s)).forEach(out::add);
        }
        return out;
    }

    /** The task ISO goes into another CD slot if there is one, else a USB stick slot. */
    private List<VirtualMediaSlot> taskSlots(List<VirtualMediaSlot> isoSlots) {
        List<VirtualMediaSlot> out = new ArrayList<>(isoSlots);
        inventory.slots().stream().filter(s -> s.accepts("USBStick") && !out.contains(s)).forEach(out::add);
        return out;
    }

    private List<VirtualMediaSlot> ejectable() {
        List<VirtualMediaSlot> out = new ArrayList<>(isoSlots());
        inventory.slots().stream().filter(s -> s.accepts("USBStick") && !out.contains(s)).forEach(out::add);
        return out;
    }

    private static String describe(List<VirtualMediaSlot> slots) {
        return slots.isEmpty() ? "none" : String.join(", ", slots.stream().map(s -> s.id() + " " + s.mediaTypes()).toList());
    }
}

package dev.shoal.bmcsim.bmc;

import dev.shoal.bmcsim.personality.SlotSpec;

import java.util.List;

/** One virtual-media slot's mutable state; guarded by its BmcModel's lock. */
final class Slot {
    final SlotSpec spec;
    String image;
    boolean inserted;
    boolean writeProtected = true;
    String transferProtocolType;
    String transferMethod;
    String userName;
    /** The image before the last eject, for BMCs that keep showing it (Supermicro). */
    String lastImage;
    /** An insert is reading the image right now (the lock is not held meanwhile). */
    boolean busy;
    /** System.nanoTime until which an eject is still running (iDRAC); 0 = none. */
    long ejectingUntil;
    /** System.nanoTime until which Inserted is reported true after an eject (fault); 0 = none. */
    long staleUntil;
    List<String> ranges = List.of();

    Slot(SlotSpec spec) {
        this.spec = spec;
    }

    boolean ejecting(long now) {
        return ejectingUntil != 0 && now - ejectingUntil < 0;
    }

    /** What Redfish reports: the truth, or true while an eject is still running or a stale fault holds. */
    boolean reportedInserted(long now) {
        return inserted || ejecting(now) || (staleUntil != 0 && now - staleUntil < 0);
    }

    void eject(long ejectingUntilNanos, long staleUntilNanos) {
        lastImage = image != null ? image : lastImage;
        image = null;
        inserted = false;
        transferProtocolType = null;
        transferMethod = null;
        userName = null;
        ranges = List.of();
        ejectingUntil = ejectingUntilNanos;
        staleUntil = staleUntilNanos;
    }

    SlotState state(long now) {
        return new SlotState(spec.id(), spec.mediaTypes(), image, inserted, writeProtected, inserted ? "URI" : "NotConnected",
                transferProtocolType, transferMethod, userName, ejecting(now), ranges);
    }
}

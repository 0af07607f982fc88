package dev.shoal.bmcsim.machine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A machine that only remembers its boots, for tests and for a simulator run without an agent. */
public final class RecordingMachine implements Machine {
    private final List<BootContext> boots = new ArrayList<>();

    @Override
    public synchronized void boot(BootContext context) {
        boots.add(context);
        notifyAll();
    }

    public synchronized List<BootContext> boots() {
        return List.copyOf(boots);
    }

    /** Boots of one BMC, oldest first. */
    public synchronized List<BootContext> boots(String bmcName) {
        return boots.stream().filter(b -> b.bmcName().equals(bmcName)).toList();
    }

    /**
     * Waits until {@code bmcName} has booted at least {@code count} times and returns its boots; the
     * hook runs asynchronously, so a test must wait rather than look right after the reset's answer.
     */
    public synchronized List<BootContext> awaitBoots(String bmcName, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (boots(bmcName).size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(bmcName + " booted " + boots(bmcName).size() + " times within " + timeout
                        + "; expected " + count + ": " + boots(bmcName));
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return boots(bmcName);
    }

    public synchronized void clear() {
        boots.clear();
    }
}

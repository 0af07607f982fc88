package dev.shoal.bmcsim.bmc;

import dev.shoal.bmcsim.BmcSpec;
import dev.shoal.bmcsim.faults.FaultPlan;
import dev.shoal.bmcsim.machine.BootContext;
import dev.shoal.bmcsim.machine.BootMode;
import dev.shoal.bmcsim.machine.BootSource;
import dev.shoal.bmcsim.machine.Machine;
import dev.shoal.bmcsim.personality.SlotSpec;
import dev.shoal.bmcsim.personality.Vendor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The state of one simulated BMC and its server: power (with timed transitions), boot override,
 * pending settings, media slots, sessions, faults and the request log. Every method holds the model's
 * monitor; the Redfish service takes the same monitor around check-then-change sequences. Simulator
 * internals: use {@code SimulatedBmc} from outside.
 */
public final class BmcModel {
    private static final Logger LOG = LoggerFactory.getLogger(BmcModel.class);
    static final int LOG_LIMIT = 500;

    private record Transition(PowerState target, long generation) {
    }

    final BmcSpec spec;
    final Vendor vendor;
    final Messages messages;
    final Sessions sessions = new Sessions();
    final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Machine machine;
    private final ScheduledExecutorService scheduler;
    private final ArrayDeque<RequestRecord> log = new ArrayDeque<>();
    private final Map<String, String> pending = new LinkedHashMap<>();

    private PowerState power = PowerState.OFF;
    private Transition transition;
    private long generation;
    private BootOverride boot = BootOverride.DEFAULT;
    private String assetTag = "";
    private FaultPlan faults;
    private int notReadyLeft;
    private long poweredOnAt;
    private long poweredOffAt;
    private int bootCount;
    private URI baseUri;
    private boolean up = true;
    private Consumer<Boolean> downListener = d -> { };

    public BmcModel(BmcSpec spec, Machine machine, ScheduledExecutorService scheduler) {
        this.spec = spec;
        this.vendor = spec.personality().vendor();
        this.messages = new Messages(vendor.registry());
        this.machine = machine;
        this.scheduler = scheduler;
        this.faults = spec.faults();
        for (SlotSpec s : vendor.slots()) {
            slots.put(s.id(), new Slot(s));
        }
    }

    public String name() {
        return spec.name();
    }

    public Vendor vendor() {
        return vendor;
    }

    public synchronized void attach(URI base, Consumer<Boolean> onDownChange) {
        this.baseUri = base;
        this.downListener = onDownChange;
    }

    public synchronized URI baseUri() {
        return baseUri;
    }

    public synchronized void markUp(boolean isUp) {
        this.up = isUp;
    }

    // ---- power -------------------------------------------------------------------------------------

    synchronized PowerState shownPower() {
        if (transition == null) {
            return power;
        }
        return transition.target() == PowerState.ON ? PowerState.POWERING_ON : PowerState.POWERING_OFF;
    }

    synchronized PowerTimeline timeline() {
        long now = System.nanoTime();
        PowerState shown = shownPower();
        Duration sinceOn = shown == PowerState.ON && poweredOnAt != 0 ? Duration.ofNanos(now - poweredOnAt) : null;
        Duration sinceOff = shown == PowerState.OFF && poweredOffAt != 0 ? Duration.ofNanos(now - poweredOffAt) : null;
        return new PowerTimeline(shown, sinceOn, sinceOff);
    }

    private boolean headingOn() {
        return transition != null ? transition.target() == PowerState.ON : power == PowerState.ON;
    }

    /** Applies an accepted ComputerSystem.Reset; the caller has validated the type against the vendor. */
    synchronized void reset(String resetType) {
        switch (resetType) {
            case "On", "ForceOn" -> {
                if (!headingOn()) {
                    start(PowerState.ON);
                }
            }
            case "ForceOff", "GracefulShutdown" -> {
                if (headingOn()) {
                    start(PowerState.OFF);
                }
            }
            case "ForceRestart", "GracefulRestart", "PowerCycle" -> start(PowerState.ON);
            case "PushPowerButton" -> start(headingOn() ? PowerState.OFF : PowerState.ON);
            default -> {
                return; // Nmi: the OS gets an interrupt, power does not change
            }
        }
        Integer planned = faults.notReadyAfterPowerChange();
        notReadyLeft += planned != null ? planned : vendor.notReadyAfterPowerChange();
    }

    private void start(PowerState target) {
        Transition t = new Transition(target, ++generation);
        transition = t;
        Duration delay = faults.powerDelay() != null ? faults.powerDelay() : spec.powerDelay();
        if (delay.isZero()) {
            complete(t.generation());
            return;
        }
        try {
            scheduler.schedule(() -> complete(t.generation()), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: simulator stopping, power change to {} dropped", name(), target);
        }
    }

    private synchronized void complete(long gen) {
        if (transition == null || transition.generation() != gen) {
            return; // superseded by a later reset
        }
        power = transition.target();
        transition = null;
        if (power == PowerState.ON) {
            poweredOnAt = System.nanoTime();
            poweredOffAt = 0;
            applyPending();
            BootContext ctx = bootContext();
            if (boot.enabled().equals("Once")) {
                boot = new BootOverride("Disabled", boot.target(), boot.mode()); // a one-time override is spent by this boot
            }
            bootCount++;
            fire("boot", () -> machine.boot(ctx));
        } else {
            poweredOffAt = System.nanoTime();
            poweredOnAt = 0;
            fire("power-off", () -> machine.poweredOff(name()));
        }
    }

    private BootContext bootContext() {
        boolean active = !boot.enabled().equals("Disabled");
        boolean cdTarget = vendor.cdTargets().contains(boot.target());
        Map<String, String> media = new LinkedHashMap<>();
        boolean cdMedia = false;
        for (Slot s : slots.values()) {
            if (s.inserted && s.image != null) {
                media.put(s.spec.id(), s.image);
                cdMedia |= s.spec.cdType() && vendor.bootsFrom(s.spec);
            }
        }
        BootSource source = active && cdTarget && cdMedia ? BootSource.CD : BootSource.HDD;
        return new BootContext(name(), source, media, BootMode.fromRedfish(boot.mode()));
    }

    private void fire(String what, Runnable call) {
        Thread.ofVirtual().name("machine-" + what + "-" + name()).start(() -> {
            try {
                call.run();
            } catch (RuntimeException | Error e) {
                LOG.warn("{}: machine {} hook failed", name(), what, e);
            }
        });
    }

    // ---- boot and settings -------------------------------------------------------------------------

    synchronized BootOverride boot() {
        return boot;
    }

    synchronized void boot(BootOverride next) {
        boot = next;
    }

    synchronized String assetTag() {
        return assetTag;
    }

    synchronized void assetTag(String tag) {
        assetTag = tag;
    }

    synchronized Map<String, String> pending() {
        return new LinkedHashMap<>(pending);
    }

    synchronized void putPending(String property, String value) {
        pending.put(property, value);
    }

    /** Settings apply at the reset (ApplyTime OnReset), before the boot that follows reads them. */
    private void applyPending() {
        String enabled = pending.getOrDefault("BootSourceOverrideEnabled", boot.enabled());
        String target = pending.getOrDefault("BootSourceOverrideTarget", boot.target());
        String mode = pending.getOrDefault("BootSourceOverrideMode", boot.mode());
        boot = new BootOverride(enabled, target, mode);
        pending.clear();
    }

    // ---- faults ------------------------------------------------------------------------------------

    public synchronized FaultPlan faults() {
        return faults;
    }

    /** Replaces the fault plan; expiring sessions and going down/up take effect now. */
    public void faults(FaultPlan plan) {
        boolean downChanged;
        Consumer<Boolean> listener;
        synchronized (this) {
            downChanged = faults.down() != plan.down();
            faults = plan;
            if (plan.expireSessions()) {
                sessions.clear();
            }
            listener = downListener;
        }
        if (downChanged) {
            listener.accept(plan.down());
        }
    }

    synchronized boolean takeDrop() {
        if (faults.dropConnections() > 0) {
            faults = faults.consumeDrop();
            return true;
        }
        return false;
    }

    /** The status of an injected error for this path, or 0. */
    synchronized int takeError(String path) {
        if (faults.errorMatches(path)) {
            int status = faults.errorStatus();
            faults = faults.consumeError();
            return status;
        }
        return 0;
    }

    synchronized boolean takeNotReady() {
        if (faults.notReady() > 0) {
            faults = faults.consumeNotReady();
            return true;
        }
        if (notReadyLeft > 0) {
            notReadyLeft--;
            return true;
        }
        return false;
    }

    // ---- slots -------------------------------------------------------------------------------------

    synchronized Slot slot(String id) {
        return slots.get(id);
    }

    synchronized long staleInsertedNanos() {
        return faults.staleInserted().toNanos();
    }

    /**
     * Manager.Reset: with a downtime in the fault plan the BMC drops off the network for that long (once its
     * answer is out) and forgets its sessions, as a rebooting BMC does.
     */
    void managerReset() {
        Duration downtime;
        Consumer<Boolean> listener;
        synchronized (this) {
            downtime = faults.bmcResetDowntime();
            listener = downListener;
        }
        if (downtime.isZero()) {
            return;
        }
        try {
            scheduler.schedule(() -> {
                sessions.clear();
                listener.accept(true);
                scheduler.schedule(() -> {
                    if (!faults().down()) {
                        listener.accept(false);
                    }
                }, downtime.toMillis(), TimeUnit.MILLISECONDS);
            }, 200, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: simulator stopping, Manager.Reset ignored", name());
        }
    }

    // ---- admin -------------------------------------------------------------------------------------

    /** Back to a server just plugged in: off, no media, no override, nothing pending, empty request log. */
    public void adminReset() {
        boolean wasOn;
        synchronized (this) {
            generation++;
            wasOn = power != PowerState.OFF || transition != null;
            transition = null;
            power = PowerState.OFF;
            for (Slot s : slots.values()) {
                s.eject(0, 0);
                s.writeProtected = true;
                s.busy = false;
            }
            boot = BootOverride.DEFAULT;
            pending.clear();
            notReadyLeft = 0;
            poweredOnAt = 0;
            poweredOffAt = 0;
            log.clear();
        }
        if (wasOn) {
            fire("power-off", () -> machine.poweredOff(name()));
        }
    }

    synchronized void record(RequestRecord r) {
        if (log.size() >= LOG_LIMIT) {
            log.removeFirst();
        }
        log.addLast(r);
    }

    public synchronized BmcState snapshot() {
        long now = System.nanoTime();
        List<SlotState> media = new ArrayList<>();
        slots.values().forEach(s -> media.add(s.state(now)));
        return new BmcState(name(), spec.personality(), baseUri, up, shownPower(), boot, media, pending, sessions.count(),
                faults, bootCount, new ArrayList<>(log));
    }
}

package dev.shoal.bmcsim;

import dev.shoal.bmcsim.bmc.BmcModel;
import dev.shoal.bmcsim.bmc.BmcState;
import dev.shoal.bmcsim.faults.FaultPlan;
import dev.shoal.bmcsim.personality.Personality;

import java.net.URI;

/**
 * One running simulated BMC: where to reach it, as what, with which account, and what state it is in.
 * The control methods ({@link #faults(FaultPlan)}, {@link #reset()}) do what the admin endpoint does.
 */
public final class SimulatedBmc {
    private final BmcSpec spec;
    private final BmcModel model;

    SimulatedBmc(BmcSpec spec, BmcModel model) {
        this.spec = spec;
        this.model = model;
    }

    public String name() {
        return spec.name();
    }

    /** {@code http://127.0.0.1:PORT} (https with TLS): what a client is given as the BMC address. */
    public URI baseUri() {
        return model.baseUri();
    }

    public Personality personality() {
        return spec.personality();
    }

    public Credentials credentials() {
        return spec.credentials();
    }

    public BmcSpec spec() {
        return spec;
    }

    /** A snapshot: later changes do not show in it. */
    public BmcState state() {
        return model.snapshot();
    }

    public FaultPlan faults() {
        return model.faults();
    }

    /** Replaces the fault plan at once (sessions expire, the listener stops or starts, as the plan says). */
    public void faults(FaultPlan plan) {
        model.faults(plan);
    }

    /** Power off, media ejected, override cleared, nothing pending, request log emptied; faults stay. */
    public void reset() {
        model.adminReset();
    }

    void markUp(boolean up) {
        model.markUp(up);
    }

    @Override
    public String toString() {
        return name() + " (" + personality() + ") at " + baseUri();
    }
}

package dev.shoal.bmcsim;

import dev.shoal.bmcsim.faults.FaultPlan;
import dev.shoal.bmcsim.media.InsertRequirements;
import dev.shoal.bmcsim.personality.Personality;

import java.time.Duration;
import java.util.Objects;

/**
 * One simulated BMC: its name (unique within a simulator; also the admin endpoint's key), vendor
 * personality, account, how long a power transition takes, the faults it starts with, and which
 * optional InsertMedia parameters it insists on (the generic personality's "field ladder").
 */
public record BmcSpec(String name, Personality personality, Credentials credentials, Duration powerDelay,
                      FaultPlan faults, InsertRequirements insertRequirements) {
    public BmcSpec {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("BMC name must be 1-63 of [A-Za-z0-9._-] (it is a URL path segment): " + name);
        }
        Objects.requireNonNull(personality, "personality");
        credentials = credentials == null ? personality.defaultCredentials() : credentials;
        powerDelay = powerDelay == null ? Duration.ZERO : powerDelay;
        if (powerDelay.isNegative()) {
            throw new IllegalArgumentException("powerDelay must not be negative");
        }
        faults = faults == null ? FaultPlan.NONE : faults;
        insertRequirements = insertRequirements == null ? InsertRequirements.NONE : insertRequirements;
    }

    public BmcSpec(String name, Personality personality, Credentials credentials, Duration powerDelay, FaultPlan faults) {
        this(name, personality, credentials, powerDelay, faults, InsertRequirements.NONE);
    }

    /** A BMC with the personality's factory-default account, instant power changes and no faults. */
    public static BmcSpec of(String name, Personality personality) {
        return new BmcSpec(name, personality, null, Duration.ZERO, FaultPlan.NONE);
    }

    public BmcSpec withCredentials(Credentials c) {
        return new BmcSpec(name, personality, c, powerDelay, faults, insertRequirements);
    }

    public BmcSpec withPowerDelay(Duration d) {
        return new BmcSpec(name, personality, credentials, d, faults, insertRequirements);
    }

    public BmcSpec withFaults(FaultPlan f) {
        return new BmcSpec(name, personality, credentials, powerDelay, f, insertRequirements);
    }

    public BmcSpec withInsertRequirements(InsertRequirements r) {
        return new BmcSpec(name, personality, credentials, powerDelay, faults, r);
    }
}

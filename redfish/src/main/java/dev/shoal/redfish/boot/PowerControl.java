package dev.shoal.redfish.boot;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.shoal.redfish.discovery.BmcInventory;
import dev.shoal.redfish.transport.RedfishException;
import dev.shoal.redfish.transport.RedfishTransport;

import java.time.Duration;
import java.util.Map;

/** ComputerSystem.Reset, and waiting until PowerState says the change happened. */
public final class PowerControl {
    private final RedfishTransport t;
    private final BmcInventory inventory;
    private final BootEvents events;
    private final Duration timeout;
    private final Duration poll;

    public PowerControl(RedfishTransport t, BmcInventory inventory, BootEvents events, Duration timeout, Duration poll) {
        this.t = t;
        this.inventory = inventory;
        this.events = events;
        this.timeout = timeout;
        this.poll = poll;
    }

    public String state() {
        return t.get(inventory.systemPath()).body().path("PowerState").asText("Unknown");
    }

    /** ForceOff (not a graceful shutdown: the disk is about to be overwritten) and wait for Off. */
    public void off() {
        String now = state();
        if (now.equals("Off")) {
            events.step("power-off", "server is already off", Map.of());
            return;
        }
        resetTo("ForceOff", "Off");
        events.step("power-off", "server powered off (was " + now + ")", Map.of());
    }

    public void on() {
        String now = state();
        if (now.equals("On")) {
            events.step("power-on", "server is already on", Map.of());
            return;
        }
        resetTo("On", "On");
        events.step("power-on", "server powered on", Map.of());
    }

    /**
     * Some BMCs refuse a reset into the state the server is already in (iLO: InvalidOperationForSystemState);
     * if the server is already there, that refusal is success.
     */
    private void resetTo(String type, String wanted) {
        try {
            reset(type);
        } catch (RedfishException e) {
            if (e.bmcError().isEmpty() || !state().equals(wanted)) {
                throw e;
            }
            return;
        }
        await(wanted);
    }

    public void reset(String type) {
        if (!inventory.resetTypes().isEmpty() && !inventory.resetTypes().contains(type)) {
            throw new RedfishException("the BMC does not offer ResetType " + type + " (it offers " + inventory.resetTypes() + ")");
        }
        String target = inventory.resetTarget().orElse(inventory.systemPath() + "/Actions/ComputerSystem.Reset");
        ObjectNode body = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode().put("ResetType", type);
        t.post(target, body);
    }

    private void await(String wanted) {
        long end = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            last = state();
            if (last.equals(wanted)) {
                return;
            }
            try {
                Thread.sleep(poll);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RedfishException("interrupted waiting for PowerState " + wanted);
            }
        }
        throw new RedfishException("the BMC still reports PowerState " + last + " " + timeout.toSeconds()
                + " s after asking for " + wanted);
    }
}

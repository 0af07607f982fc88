package dev.shoal.controller.engine;

import dev.shoal.redfish.transport.RedfishError;
import dev.shoal.redfish.transport.RedfishException;

import java.util.Optional;

/** Runs a Redfish sequence, turning its failure into a StepFailure that keeps the BMC's own message apart. */
final class BmcCalls {
    interface Sequence {
        void run();
    }

    private BmcCalls() {
    }

    static void run(String step, Sequence sequence) throws StepFailure {
        try {
            sequence.run();
        } catch (RedfishException e) {
            throw new StepFailure(e.getMessage(), e.bmcError().map(RedfishError::message), e);
        } catch (IllegalArgumentException e) {
            throw new StepFailure(step + ": " + e.getMessage(), Optional.empty(), e);
        }
    }
}

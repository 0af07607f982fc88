package dev.shoal.bmcsim.agentmachine;

import dev.shoal.agent.AgentOptions;
import dev.shoal.agent.report.RetryPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link AgentMachine} simulates its servers: where their files live ({@code workDir/{bmcName}/...}), the
 * size of each server's disk, and the agent's {@code --heartbeat} (a task's {@code heartbeat_interval_seconds}
 * wins over it) and callback retry policy.
 */
public record AgentMachineConfig(java.nio.file.Path workDir, long diskBytes, Duration heartbeat, RetryPolicy retry) {
    public static final long MIB = 1L << 20;
    public static final long DEFAULT_DISK_BYTES = 64 * MIB;

    public AgentMachineConfig {
        Objects.requireNonNull(workDir, "workDir");
        // A whole number of sectors: sfdisk, which places the config drive, works in 512-byte sectors.
        if (diskBytes < MIB || diskBytes % 512 != 0) {
            throw new IllegalArgumentException("the disk size must be at least 1 MiB and a multiple of 512 bytes, not " + diskBytes);
        }
        Objects.requireNonNull(heartbeat, "heartbeat");
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive");
        }
        Objects.requireNonNull(retry, "retry");
    }

    /** 64 MiB disks, the agent's default heartbeat (10 s) and retry policy (about a minute). */
    public static AgentMachineConfig of(java.nio.file.Path workDir) {
        return new AgentMachineConfig(workDir, DEFAULT_DISK_BYTES, AgentOptions.DEFAULT_HEARTBEAT, RetryPolicy.DEFAULT);
    }

    public AgentMachineConfig withDiskBytes(long bytes) {
        return new AgentMachineConfig(workDir, bytes, heartbeat, retry);
    }

    public AgentMachineConfig withHeartbeat(Duration every) {
        return new AgentMachineConfig(workDir, diskBytes, every, retry);
    }

    public AgentMachineConfig withRetry(RetryPolicy policy) {
        return new AgentMachineConfig(workDir, diskBytes, heartbeat, policy);
    }
}

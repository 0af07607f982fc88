package dev.shoal.controller.engine;

import dev.shoal.controller.agent.AgentKeys;
import dev.shoal.controller.agent.AgentTokens;
import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.jobs.JobStore;
import dev.shoal.controller.media.TaskIsoWriter;
import dev.shoal.controller.media.UrlSigner;
import dev.shoal.controller.registry.JobPullCredentials;
import dev.shoal.redfish.transport.RedfishSettings;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;

/** Builds a job engine and its steps from the configuration: the engine's part of the start-up wiring. */
public final class Engines {
    private Engines() {
    }

    public static JobEngine create(ControllerConfig config, EngineSettings settings, JobStore jobs, JobTable table,
                                   AgentTokens tokens, AgentKeys keys, UrlSigner signer, Optional<JobPullCredentials> registry,
                                   InstantSource clock, String owner) {
        RedfishSettings redfish = RedfishSettings.defaults().withTimeout(config.redfishTimeout()).withRetries(config.redfishRetries());
        BmcConnector bmcs = new BmcConnector(redfish, Duration.ofMinutes(5), Duration.ofMillis(500));
        Map<Step, StepAction> actions = Map.of(
                Step.PREPARE_TASK, new PrepareTask(jobs, tokens, keys, new TaskIsoWriter(config.paths().taskIsoDir(), clock),
                        settings, config.tls().map(ControllerConfig.TlsFiles::certFile), registry),
                Step.BOOT_ISO, new BootFromIsos(jobs, table, bmcs, signer, settings),
                Step.FINISH, new FinishOnDisk(jobs, bmcs),
                Step.CLEANUP, new CleanUp(jobs, bmcs));
        return new JobEngine(table, jobs, actions, new AgentWatch(settings.heartbeatTimeout(), settings.agentBootTimeout(),
                settings.stuckTimeout()), settings, clock, owner, config.workerConcurrency(), config.drain());
    }
}

package dev.shoal.agent;

/** {@code shoal-agent [--task PATH] [--disk PATH] [--heartbeat 10s] ...} (see {@link AgentOptions}); exit 0 on success, 1 on failure, 2 on bad usage. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        AgentOptions options;
        try {
            options = AgentOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("shoal-agent: " + e.getMessage());
            return 2;
        }
        return Agent.standard().run(options);
    }
}

package dev.shoal.controller;

import dev.shoal.controller.cli.Cli;

/** {@code shoal-controller}: see {@code --help}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = Cli.run(args, System.out, System.err, System.in, System.getenv());
        if (!shuttingDown()) {
            System.exit(code);
        }
        // On SIGTERM the JVM is already exiting; System.exit here would wait for our own shutdown hook forever.
    }

    private static boolean shuttingDown() {
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}

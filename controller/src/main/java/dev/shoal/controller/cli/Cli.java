package dev.shoal.controller.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/** Entry point for the command line, with the process's streams and environment passed in. */
public final class Cli {
    private Cli() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err, InputStream in, Map<String, String> env) {
        return ShoalCommand.commandLine(new Console(out, err, in, env)).execute(args);
    }
}

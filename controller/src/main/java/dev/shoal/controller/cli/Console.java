package dev.shoal.controller.cli;

import java.io.PrintStream;
import java.util.Map;

/** What commands may touch of the outside world; passed in by Main so tests can run commands in-process. */
record Console(PrintStream out, PrintStream err, java.io.InputStream in, Map<String, String> environment) {
}

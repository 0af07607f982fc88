package dev.shoal.controller.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve the API (the default command).")
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private final Console console;

    ServeCommand(Console console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        return ShoalCommand.serve(spec, console);
    }
}

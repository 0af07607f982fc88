package dev.shoal.controller.cli;

import dev.shoal.controller.config.ConfigException;
import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.registry.RegistryGc;
import dev.shoal.registry.storage.FsBlobStore;
import dev.shoal.registry.storage.GcReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Maintenance of the embedded OCI registry's storage, safe while the controller serves it. */
@Command(name = "registry", mixinStandardHelpOptions = true, description = "Registry maintenance (safe while serving).",
        subcommands = {RegistryCommand.Gc.class})
final class RegistryCommand {

    /**
     * Runs in this process next to a serving controller with no lock shared between them: the collector changes the
     * store only by atomic file operations (rename, link, delete), takes only files that are unreferenced and older
     * than REGISTRY_GC_GRACE, and rechecks each file's age after claiming it, while the registry touches every blob
     * it commits, mounts or references in a manifest. So whichever process collects, a blob in use is young and
     * stays (see GarbageCollector).
     */
    @Command(name = "gc", mixinStandardHelpOptions = true,
            description = "Delete unreferenced blobs older than REGISTRY_GC_GRACE, abandoned uploads, and tags past "
                    + "REGISTRY_RETAIN_TAGS; print what was (or, with --dry-run, would be) removed.")
    static final class Gc implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--dry-run", description = "Count what would be removed; remove nothing.")
        boolean dryRun;
        private final Console console;

        Gc(Console console) {
            this.console = console;
        }

        @Override
        public Integer call() {
            ControllerConfig config;
            try {
                config = ConfigOptions.load(spec, console.environment());
            } catch (ConfigException e) {
                return Exit.configError(console, e);
            }
            Path storage = config.registry().storage();
            if (!Files.isDirectory(storage.resolve("blobs"))) {
                return Exit.failure(console, "no registry storage at " + storage + " (REGISTRY_STORAGE); nothing to do");
            }
            GcReport r;
            try {
                r = new RegistryGc(new FsBlobStore(storage).garbageCollector(Clock.systemUTC()), config.registry().gc(),
                        Optional.empty()).run(dryRun);
            } catch (Exception e) {
                return Exit.failure(console, "registry gc: " + e.getMessage());
            }
            String verb = dryRun ? "would delete" : "deleted";
            var out = console.out();
            out.printf("registry gc%s of %s: %s%n", dryRun ? " (dry run)" : "", storage, verb);
            out.printf("  blobs:       %d (%d bytes)%n", r.blobsDeleted(), r.blobBytes());
            out.printf("  uploads:     %d (%d bytes)%n", r.uploadsDeleted(), r.uploadBytes());
            out.printf("  layer links: %d%n", r.layerLinksRemoved());
            out.printf("  manifests:   %d%n", r.manifestsRemoved());
            out.printf("  tags:        %d%n", r.tagsRemoved());
            out.printf("  temp files:  %d%n", r.tempFilesDeleted());
            out.printf("%s %d bytes in %d ms%n", dryRun ? "would free" : "freed", r.freedBytes(), r.took().toMillis());
            return Exit.OK;
        }
    }
}

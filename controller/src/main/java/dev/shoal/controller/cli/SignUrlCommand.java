package dev.shoal.controller.cli;

import dev.shoal.controller.config.ConfigException;
import dev.shoal.controller.config.ControllerConfig;
import dev.shoal.controller.config.Durations;
import dev.shoal.controller.config.Mode;
import dev.shoal.controller.media.TaskIsoPath;
import dev.shoal.controller.media.UrlSigner;
import dev.shoal.controller.secrets.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Prints a short-lived signed URL for a job's task ISO, for the 036 §12 smoke test ("generate a short-lived URL
 * and GET; expect 200 and ETag") and for attaching media by hand. Only the URL goes to stdout, so
 * {@code curl -I "$(shoal-controller sign-url ID)"} works; the expiry goes to stderr.
 */
@Command(name = "sign-url", mixinStandardHelpOptions = true,
        description = {"Print a short-lived signed URL for a job's task ISO (/media/tasks/...).",
                "Example: curl -sI \"$(shoal-controller sign-url --env-file /etc/shoal/shoal.env JOB_ID)\""})
final class SignUrlCommand implements Callable<Integer> {
    /** Where local mode keeps its generated secret; must match LocalBootstrap's file name. */
    static final String LOCAL_SECRET_FILE = dev.shoal.controller.secrets.LocalBootstrap.SIGNED_URL_SECRET_FILE;
    static final Duration MAX_TTL = Duration.ofDays(30);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB_ID", description = "The job's id (a UUID).")
    String jobId;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "15m",
            description = "How long the URL stays valid, like 15m or 2h (default ${DEFAULT-VALUE}; at most 30 days).")
    String ttl;

    @Option(names = "--base-url", paramLabel = "URL",
            description = "How BMCs reach the controller, e.g. https://controller.example.org "
                    + "(default: http(s):// and CONTROLLER_HTTP_ADDR).")
    String baseUrl;

    private final Console console;
    private final Clock clock;

    SignUrlCommand(Console console) {
        this(console, Clock.systemUTC());
    }

    SignUrlCommand(Console console, Clock clock) {
        this.console = console;
        this.clock = clock;
    }

    @Override
    public Integer call() {
        if (!TaskIsoPath.isJobId(jobId)) {
            console.err().println("shoal-controller: sign-url: JOB_ID must be a job id (a lower-case UUID)");
            return Exit.USAGE;
        }
        Duration life;
        try {
            life = Durations.parse(ttl);
        } catch (IllegalArgumentException e) {
            console.err().println("shoal-controller: sign-url: --ttl " + e.getMessage());
            return Exit.USAGE;
        }
        if (life.isZero() || life.isNegative() || life.compareTo(MAX_TTL) > 0) {
            console.err().println("shoal-controller: sign-url: --ttl must be more than 0 and at most 30d");
            return Exit.USAGE;
        }
        ControllerConfig config;
        try {
            config = ConfigOptions.load(spec, console.environment());
        } catch (ConfigException e) {
            return Exit.configError(console, e);
        }
        URI base;
        try {
            base = baseUrl != null ? URI.create(baseUrl.strip()) : defaultBase(config);
        } catch (IllegalArgumentException e) {
            console.err().println("shoal-controller: sign-url: --base-url is not a URL");
            return Exit.USAGE;
        }
        Optional<Secret> secret;
        try {
            secret = secret(config);
        } catch (IOException e) {
            return Exit.failure(console, "sign-url: cannot read the local signing secret: " + e.getMessage());
        }
        if (secret.isEmpty()) {
            return Exit.failure(console, "sign-url: no SIGNED_URL_SECRET; set it, or start the controller once in local"
                    + " mode so it generates " + config.paths().keysDir().resolve(LOCAL_SECRET_FILE));
        }
        Instant expires = clock.instant().plus(life);
        URI url;
        try {
            url = new UrlSigner(secret.get()).url(base, jobId, expires);
        } catch (IllegalArgumentException e) {
            console.err().println("shoal-controller: sign-url: " + e.getMessage());
            return Exit.USAGE;
        }
        console.out().println(url);
        console.err().println("valid until " + Instant.ofEpochSecond(expires.getEpochSecond()));
        return Exit.OK;
    }

    static URI defaultBase(ControllerConfig config) {
        String scheme = config.tls().isPresent() ? "https" : "http";
        return URI.create(scheme + "://" + config.listen().authority(config.listen().port()));
    }

    /**
     * The configured secret; in local mode without one, the secret the running controller generated (read, never
     * created here: a URL signed with a secret the server does not have would only mislead).
     */
    private static Optional<Secret> secret(ControllerConfig config) throws IOException {
        if (config.secrets().signedUrl().isPresent() || config.mode() != Mode.LOCAL) {
            return config.secrets().signedUrl();
        }
        Path file = config.paths().keysDir().resolve(LOCAL_SECRET_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(Secret.of(Files.readString(file, StandardCharsets.US_ASCII).strip()));
    }
}

package dev.shoal.controller.registry;

import dev.shoal.controller.config.ConfigKey;
import dev.shoal.controller.testing.DebianTools;
import dev.shoal.controller.testing.TestController;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the client interop tests share: a real controller serving its registry, Debian's command-line clients run
 * with a private HOME (no auth files or caches from the machine), and an OCI image layout built by hand.
 */
final class RegistryClients {
    static final String USER = "pusher";
    static final String PASSWORD = "pusher-secret-1";

    private RegistryClients() {
    }

    /** A local-mode controller with ENABLE_REGISTRY=true and REGISTRY_AUTH_MODE=basic; USER is in a htpasswd -B file. */
    static TestController basic(Path dir) throws Exception {
        Path users = dir.resolve("registry-users.htpasswd");
        Files.writeString(users, USER + ":" + DebianTools.htpasswdBcrypt(PASSWORD, 5) + "\n");
        Map<ConfigKey, String> s = new EnumMap<>(ConfigKey.class);
        s.put(ConfigKey.ENABLE_REGISTRY, "true");
        s.put(ConfigKey.REGISTRY_AUTH_MODE, "basic");
        s.put(ConfigKey.REGISTRY_USERS_FILE, users.toString());
        return TestController.local(dir.resolve("controller"), s);
    }

    /** A local-mode controller with ENABLE_REGISTRY=true and REGISTRY_AUTH_MODE=none. */
    static TestController open(Path dir) throws Exception {
        Map<ConfigKey, String> s = new EnumMap<>(ConfigKey.class);
        s.put(ConfigKey.ENABLE_REGISTRY, "true");
        s.put(ConfigKey.REGISTRY_AUTH_MODE, "none");
        return TestController.local(dir.resolve("controller"), s);
    }

    /** {@code 127.0.0.1:port}, as image references name the registry. */
    static String host(TestController c) {
        return c.uri("/").getAuthority();
    }

    static String sha256(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String authorization(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** GET with USER's credentials, the body as bytes. */
    static HttpResponse<byte[]> get(TestController c, String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(c.uri(path)).header("Authorization", authorization(USER, PASSWORD));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HttpClient.newHttpClient().send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    record Result(int exit, String output) {
    }

    /** Runs a client with HOME and TMPDIR in {@code home}; fails the test if it runs over 90 s. */
    static Result run(Path home, List<String> command) throws IOException, InterruptedException {
        Files.createDirectories(home);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("TMPDIR", home.toString());
        pb.environment().remove("REGISTRY_AUTH_FILE");
        pb.environment().remove("XDG_RUNTIME_DIR");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError(command.getFirst() + " is not installed (./run-tests installs the Debian packages the tests use)", e);
        }
        p.getOutputStream().close();
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
            try (var in = p.getInputStream()) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 90 s");
        }
        return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8));
    }

    /** Runs a client and fails the test, with its output, unless it exits 0; returns its output. */
    static String ok(Path home, List<String> command) throws IOException, InterruptedException {
        Result r = run(home, command);
        assertThat(r.exit()).as(String.join(" ", command) + "\n" + r.output()).isZero();
        return r.output();
    }

    static String ok(Path home, String... command) throws IOException, InterruptedException {
        return ok(home, List.of(command));
    }

    static List<String> skopeo(String... args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    record Layout(Path dir, String tag, byte[] manifest, String manifestDigest, byte[] config, byte[] layer, String layerDigest,
                  String diffId) {
    }

    /** An OCI image layout with one gzipped tar layer holding {@code name}, tagged {@code tag}. */
    static Layout layout(Path dir, String tag, String name, byte[] content) throws IOException {
        byte[] tar = tar(name, content);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        byte[] layer = gz.toByteArray();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/" + name + "\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + sha256(tar) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{"
                + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + blob(dir, config) + "\",\"size\":"
                + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + blob(dir, layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        String m = blob(dir, manifest);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + m + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
        return new Layout(dir, tag, manifest, m, config, layer, sha256(layer), sha256(tar));
    }

    static Path blobPath(Path layout, String digest) {
        return layout.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    private static String blob(Path dir, byte[] content) throws IOException {
        String d = sha256(content);
        Files.createDirectories(blobPath(dir, d).getParent());
        Files.write(blobPath(dir, d), content);
        return d;
    }

    /** A POSIX ustar archive with one regular file. */
    static byte[] tar(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000755\0");
        put(header, 108, "0000000\0");
        put(header, 116, "0000000\0");
        put(header, 124, String.format("%011o\0", content.length));
        put(header, 136, String.format("%011o\0", 1_700_000_000L));
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        put(header, 257, "ustar\0");
        put(header, 263, "00");
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o\0 ", sum));
        int padded = (content.length + 511) / 512 * 512;
        byte[] out = new byte[512 + padded + 1024];
        System.arraycopy(header, 0, out, 0, 512);
        System.arraycopy(content, 0, out, 512, content.length);
        return out;
    }

    private static void put(byte[] block, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, block, at, b.length);
    }
}

package dev.shoal.registry.storage;

import com.sun.nio.file.ExtendedOpenOption;
import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.DigestAlgorithm;
import dev.shoal.registry.digest.Digester;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bodies of awkward sizes, arriving in awkward pieces and with pauses, appended one after another as PATCHes are:
 * the file must hold exactly the bytes sent and the running digest must be theirs, whether the aligned middle of the
 * writes went through direct I/O (this machine's disk) or everything through the page cache.
 */
class UploadWriterTest {
    private static final int A = AlignedBuffers.ALIGNMENT;
    /** One PATCH after another: tiny, just under and over a block, one and several buffers, odd tails. */
    private static final int[] BODIES = {1, A - 1, A + 1, 3, UploadWriter.FIRST, UploadWriter.FIRST + 1,
            AlignedBuffers.SIZE, 3 * AlignedBuffers.SIZE + 7, A * 5, 11 * AlignedBuffers.SIZE + A / 2 + 3, 5};

    @TempDir
    Path dir;

    private final AlignedBuffers buffers = new AlignedBuffers();

    @Test
    void bodiesOfEverySizeAreWrittenAndHashedExactlyWithDirectIo() throws Exception {
        Path data = Files.createFile(dir.resolve("data"));
        boolean directPossible = directIoWorksIn(data);

        byte[] all = appendAll(data, true, false, uploadFile -> {
            if (directPossible) {
                assertThat(uploadFile.direct()).as("direct I/O on a filesystem that takes O_DIRECT").isTrue();
            }
        });

        assertThat(Files.readAllBytes(data)).isEqualTo(all);
    }

    @Test
    void theSameThroughThePageCacheOnly() throws Exception {
        Path data = Files.createFile(dir.resolve("data"));
        byte[] all = appendAll(data, false, false, uploadFile -> assertThat(uploadFile.direct()).isFalse());
        assertThat(Files.readAllBytes(data)).isEqualTo(all);
    }

    @Test
    void aBodyThatCopiesStraightIntoBuffersGivesTheSameBytes() throws Exception {
        Path data = Files.createFile(dir.resolve("data"));
        byte[] all = appendAll(data, true, true, uploadFile -> {
        });
        assertThat(Files.readAllBytes(data)).isEqualTo(all);
    }

    @Test
    void aBodyThatFailsMidwayKeepsWhatArrivedAndTheDigestCoversExactlyThat() throws Exception {
        Path data = Files.createFile(dir.resolve("data"));
        byte[] sent = random(5 * AlignedBuffers.SIZE + 123, 3);
        int failAt = 3 * AlignedBuffers.SIZE + 77;
        Digester digester = new Digester(DigestAlgorithm.SHA256);
        AtomicLong reported = new AtomicLong();

        try (UploadFile file = UploadFile.open(data, 0, true)) {
            assertThatThrownBy(() -> UploadWriter.copy(new Pieces(sent, 7, false, failAt), file, digester, buffers,
                    () -> reported.set(digester.count())))
                    .isInstanceOf(IOException.class).hasMessageContaining("client went away");
            assertThat(file.end()).isEqualTo(failAt);
        }

        assertThat(digester.count()).isEqualTo(failAt);
        assertThat(reported.get()).isEqualTo(failAt);
        assertThat(Files.size(data)).isEqualTo(failAt);
        byte[] kept = java.util.Arrays.copyOf(sent, failAt);
        assertThat(Files.readAllBytes(data)).isEqualTo(kept);
        assertThat(digester.current()).isEqualTo(Digest.of(DigestAlgorithm.SHA256, kept));
    }

    @Test
    void aFailingHashStageEndsTheCopyWithAnErrorInsteadOfStallingTheReader() throws Exception {
        Path data = Files.createFile(dir.resolve("data"));
        byte[] sent = random(12 * AlignedBuffers.SIZE, 4);
        Digester digester = new Digester(DigestAlgorithm.SHA256);
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Runnable progress = () -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("progress listener broke");
            }
        };

        try (UploadFile file = UploadFile.open(data, 0, true)) {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () ->
                    assertThatThrownBy(() -> UploadWriter.copy(new Pieces(sent, 2, false, -1), file, digester, buffers, progress))
                            .isInstanceOf(IOException.class).hasMessageContaining("progress listener broke"));
        }
        // what the digest covers is a prefix of the file; the next append cuts the file back to it
        assertThat(digester.count()).isLessThan(sent.length);
        try (UploadFile file = UploadFile.open(data, digester.count(), true)) {
            assertThat(Files.size(data)).isEqualTo(digester.count());
        }
        assertThat(digester.current()).isEqualTo(Digest.of(DigestAlgorithm.SHA256,
                java.util.Arrays.copyOf(sent, (int) digester.count())));
    }

    @Test
    void openingCutsOffAnUnacknowledgedTail() throws Exception {
        Path data = dir.resolve("data");
        Files.write(data, random(10_000, 5));
        try (UploadFile file = UploadFile.open(data, 4_000, true)) {
            assertThat(file.end()).isEqualTo(4_000);
        }
        assertThat(Files.size(data)).isEqualTo(4_000);
    }

    private interface FileCheck {
        void check(UploadFile f);
    }

    /** Appends every size in {@link #BODIES} as its own copy, checking the digest and offset after each. */
    private byte[] appendAll(Path data, boolean tryDirect, boolean bufferReadable, FileCheck check) throws Exception {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Digester digester = new Digester(DigestAlgorithm.SHA256);
        List<Long> progress = new ArrayList<>();
        int seed = 0;
        for (int size : BODIES) {
            byte[] body = random(size, ++seed);
            expected.write(body);
            try (UploadFile file = UploadFile.open(data, digester.count(), tryDirect)) {
                check.check(file);
                InputStream in = bufferReadable ? new BufferPieces(body, seed) : new Pieces(body, seed, true, -1);
                UploadWriter.copy(in, file, digester, buffers, () -> progress.add(digester.count()));
                assertThat(file.end()).as("after a body of " + size).isEqualTo(expected.size());
            }
            assertThat(digester.count()).isEqualTo(expected.size());
            assertThat(digester.current()).as("digest after a body of " + size)
                    .isEqualTo(Digest.of(DigestAlgorithm.SHA256, expected.toByteArray()));
            assertThat(progress.getLast()).isEqualTo(expected.size());
        }
        assertThat(progress).isSorted();
        return expected.toByteArray();
    }

    /** Whether this filesystem takes an aligned O_DIRECT write: then the upload file must use it. */
    private static boolean directIoWorksIn(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT)) {
            ByteBuffer b = ByteBuffer.allocateDirect(2 * A).alignedSlice(A).limit(A);
            ch.write(b, 0);
            ch.truncate(0);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    static byte[] random(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /**
     * A body that hands out pieces of varying length, now and then reporting nothing available (a client pausing),
     * and optionally failing at a given offset as a dropped connection does.
     */
    private static class Pieces extends InputStream {
        final byte[] body;
        final Random random;
        final boolean pauses;
        final int failAt;
        int pos;

        Pieces(byte[] body, int seed, boolean pauses, int failAt) {
            this.body = body;
            this.random = new Random(seed);
            this.pauses = pauses;
            this.failAt = failAt;
        }

        int next(int want) throws IOException {
            if (pos == failAt) {
                throw new IOException("the client went away");
            }
            if (pos >= body.length) {
                return -1;
            }
            int n = Math.min(want, Math.min(body.length - pos, 1 + random.nextInt(200_000)));
            if (failAt >= 0) {
                n = Math.min(n, failAt - pos);
            }
            return n;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = next(len);
            if (n > 0) {
                System.arraycopy(body, pos, b, off, n);
                pos += n;
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int available() {
            return pauses && random.nextInt(4) == 0 ? 0 : body.length - pos;
        }
    }

    /** The same, read the way Jetty's request body is: straight into the writer's buffers. */
    private static final class BufferPieces extends Pieces implements ByteBufferReadable {
        BufferPieces(byte[] body, int seed) {
            super(body, seed, true, -1);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = next(dst.remaining());
            if (n > 0) {
                dst.put(body, pos, n);
                pos += n;
            }
            return n;
        }
    }
}

package dev.shoal.registry.storage;

import com.sun.nio.file.ExtendedOpenOption;
import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.digest.DigestAlgorithm;
import dev.shoal.registry.digest.Digester;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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

    private final ExecutorService stages = Executors.newCachedThreadPool();
    private final UploadWriter writer = new UploadWriter(new AlignedBuffers(), stages, 4);

    @AfterEach
    void stopStages() {
        stages.shutdownNow();
    }

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
        CompletableFuture<Void> hashed = new CompletableFuture<>();

        try (UploadFile file = UploadFile.open(data, 0, true)) {
            assertThatThrownBy(() -> writer.copy(new Pieces(sent, 7, false, failAt), file, digester, reported::set,
                    hashed)).isInstanceOf(IOException.class).hasMessageContaining("client went away");
            assertThat(file.end()).isEqualTo(failAt);
        }
        assertThat(reported.get()).isEqualTo(failAt);

        hashed.get(30, TimeUnit.SECONDS); // the client's failure is not the digest's: it catches up normally
        assertThat(digester.count()).isEqualTo(failAt);
        byte[] kept = Arrays.copyOf(sent, failAt);
        assertThat(Files.readAllBytes(data)).isEqualTo(kept);
        assertThat(digester.current()).isEqualTo(Digest.of(DigestAlgorithm.SHA256, kept));
    }

    @Test
    void aWriteThatFailsEndsTheCopyAndMarksTheDigestUntrusted() throws Exception {
        // the hasher runs beside the writer and may have hashed bytes whose write then failed: the digest is not to
        // be used, and the file holds a prefix of what was sent, from which the upload hashes it again
        for (int r = 0; r < 4; r++) {
            int round = r;
            Path data = Files.createFile(dir.resolve("data" + round));
            byte[] sent = random(16 * AlignedBuffers.SIZE, 10 + round);
            AtomicLong reported = new AtomicLong();
            CompletableFuture<Void> hashed = new CompletableFuture<>();
            UploadFile file = UploadFile.open(data, 0, true);
            LongConsumer closeTheFileAfterAWrite = length -> {
                reported.set(length);
                try {
                    file.close(); // the writes after this one fail, as on a disk that went away
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };

            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> writer.copy(
                    new Pieces(sent, round, false, -1), file, new Digester(DigestAlgorithm.SHA256),
                    closeTheFileAfterAWrite, hashed))
                    .isInstanceOf(IOException.class).hasMessageContaining("writing the upload failed"));

            assertThatThrownBy(() -> hashed.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            byte[] kept = Files.readAllBytes(data);
            assertThat((long) kept.length).isGreaterThanOrEqualTo(reported.get()).isLessThan(sent.length);
            assertThat(kept).isEqualTo(Arrays.copyOf(sent, kept.length));
        }
    }

    @Test
    void aFailingProgressListenerEndsTheCopyWithAnErrorInsteadOfStallingTheReader() throws Exception {
        Path data = Files.createFile(dir.resolve("data"));
        byte[] sent = random(12 * AlignedBuffers.SIZE, 4);
        AtomicInteger calls = new AtomicInteger();
        LongConsumer progress = bytes -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("progress listener broke");
            }
        };
        CompletableFuture<Void> hashed = new CompletableFuture<>();

        try (UploadFile file = UploadFile.open(data, 0, true)) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() -> writer.copy(
                    new Pieces(sent, 2, false, -1), file, new Digester(DigestAlgorithm.SHA256), progress, hashed))
                    .isInstanceOf(IOException.class).hasMessageContaining("progress listener broke"));
        }
        assertThatThrownBy(() -> hashed.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void anUploadArrivingWhileTheMostStreamAtOnceIsCopiedByItsCallerAndTheStreamIsFreeAgainAfter() throws Exception {
        AtomicInteger stageThreads = new AtomicInteger();
        Executor counting = r -> {
            stageThreads.incrementAndGet();
            stages.execute(r);
        };
        UploadWriter oneStream = new UploadWriter(new AlignedBuffers(), counting, 1);
        int size = AlignedBuffers.SIZE;

        // the first upload streams, and its client stalls halfway
        byte[] stalled = random(6 * size, 21);
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        Path first = Files.createFile(dir.resolve("first"));
        Digester firstDigest = new Digester(DigestAlgorithm.SHA256);
        CompletableFuture<Void> firstHashed = new CompletableFuture<>();
        Future<?> firstCopy = stages.submit(() -> {
            try (UploadFile file = UploadFile.open(first, 0, true)) {
                oneStream.copy(new Stalling(stalled, 3 * size + 5, halfway, goOn), file, firstDigest, n -> {
                }, firstHashed);
            }
            return null;
        });
        assertThat(halfway.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stageThreads).as("a writer and a hasher for the streaming upload").hasValue(2);

        // a second upload meanwhile: copied by its caller, no stage thread, every byte written and hashed
        byte[] second = random(5 * size + 3, 22);
        Path secondFile = Files.createFile(dir.resolve("second"));
        Digester secondDigest = new Digester(DigestAlgorithm.SHA256);
        CompletableFuture<Void> secondHashed = new CompletableFuture<>();
        List<Long> progress = new CopyOnWriteArrayList<>();
        try (UploadFile file = UploadFile.open(secondFile, 0, true)) {
            oneStream.copy(new Pieces(second, 22, true, -1), file, secondDigest, progress::add, secondHashed);
        }
        assertThat(secondHashed).isCompleted();
        assertThat(stageThreads).hasValue(2);
        assertThat(Files.readAllBytes(secondFile)).isEqualTo(second);
        assertThat(secondDigest.current()).isEqualTo(Digest.of(DigestAlgorithm.SHA256, second));
        assertThat(progress).isSorted().hasSizeGreaterThan(1).last().isEqualTo((long) second.length);

        goOn.countDown();
        firstCopy.get(30, TimeUnit.SECONDS);
        firstHashed.get(30, TimeUnit.SECONDS);
        assertThat(Files.readAllBytes(first)).isEqualTo(stalled);
        assertThat(firstDigest.current()).isEqualTo(Digest.of(DigestAlgorithm.SHA256, stalled));

        // the first upload's hasher is done, and with it its stream: the next large body streams again
        Path third = Files.createFile(dir.resolve("third"));
        try (UploadFile file = UploadFile.open(third, 0, true)) {
            CompletableFuture<Void> hashed = new CompletableFuture<>();
            oneStream.copy(new Pieces(second, 23, false, -1), file, new Digester(DigestAlgorithm.SHA256), n -> {
            }, hashed);
            hashed.get(30, TimeUnit.SECONDS);
        }
        assertThat(stageThreads).hasValue(4);
        assertThat(Files.readAllBytes(third)).isEqualTo(second);
    }

    @Test
    void aSessionWhoseHashingFailedHashesItsFileAgain() throws Exception {
        Path data = dir.resolve("data");
        byte[] inFile = random(3 * AlignedBuffers.SIZE + 5, 6);
        Files.write(data, inFile);
        // a digest that went past the file, as when the hasher ran ahead of a write that failed
        Digester ahead = new Digester(DigestAlgorithm.SHA256);
        ahead.update(random(4 * AlignedBuffers.SIZE, 6), 0, 4 * AlignedBuffers.SIZE);
        UploadSession session = new UploadSession("id", "repo", data, ahead, inFile.length);

        session.hashing().completeExceptionally(new IOException("disk went away"));

        Digester d = session.digester();
        assertThat(d.count()).isEqualTo(inFile.length);
        assertThat(d.current()).isEqualTo(Digest.of(DigestAlgorithm.SHA256, inFile));
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
        List<Long> progress = new CopyOnWriteArrayList<>();
        int seed = 0;
        for (int size : BODIES) {
            byte[] body = random(size, ++seed);
            expected.write(body);
            try (UploadFile file = UploadFile.open(data, digester.count(), tryDirect)) {
                check.check(file);
                InputStream in = bufferReadable ? new BufferPieces(body, seed) : new Pieces(body, seed, true, -1);
                CompletableFuture<Void> hashed = new CompletableFuture<>();
                writer.copy(in, file, digester, progress::add, hashed);
                hashed.get(30, TimeUnit.SECONDS);
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

    /** A client that sends everything up to {@code stallAt}, then waits for {@code goOn} before the rest. */
    private static final class Stalling extends Pieces {
        final int stallAt;
        final CountDownLatch reached;
        final CountDownLatch goOn;

        Stalling(byte[] body, int stallAt, CountDownLatch reached, CountDownLatch goOn) {
            super(body, 1, false, -1);
            this.stallAt = stallAt;
            this.reached = reached;
            this.goOn = goOn;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == stallAt && reached.getCount() > 0) {
                reached.countDown();
                try {
                    goOn.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }
            return super.read(b, off, pos < stallAt ? Math.min(len, stallAt - pos) : len);
        }
    }

    /** The same, read the way Jetty's request body is: straight into the writer's buffers, its length declared. */
    private static final class BufferPieces extends Pieces implements ByteBufferReadable {
        BufferPieces(byte[] body, int seed) {
            super(body, seed, true, -1);
        }

        @Override
        public long remaining() {
            return body.length - pos;
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

package dev.shoal.controller.media;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removing a job's directory under TASK_ISO_DIR, counting what it freed. */
final class TaskDirs {
    private TaskDirs() {
    }

    /**
     * Deletes {@code dir} and everything in it; returns the bytes of regular files removed (0 if it did not
     * exist). The walk does not follow symlinks, so a link inside the tree is removed, never what it points to.
     */
    static long deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        long[] bytes = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    bytes[0] += attrs.size();
                }
                deleteIfThere(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                deleteIfThere(d);
                return FileVisitResult.CONTINUE;
            }
        });
        return bytes[0];
    }

    private static void deleteIfThere(Path p) throws IOException {
        try {
            Files.delete(p);
        } catch (NoSuchFileException raced) {
            // already gone: the outcome we wanted
        }
    }
}

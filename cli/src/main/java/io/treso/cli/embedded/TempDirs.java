package io.treso.cli.embedded;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removes a temporary tree that other threads (Flink, RocksDB) may still be emptying. */
public final class TempDirs {
    private TempDirs() {}

    /** Deletes {@code dir} and everything below it; files that vanish meanwhile are fine. */
    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(
                    dir,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            file.toFile().delete();
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path d, IOException e) {
                            d.toFile().delete();
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            // A temp dir: what is left, the OS cleans.
        }
    }
}

package io.treso.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The job jar the jobs module builds ({@code jobs/target/job/treso-jobs-<version>.jar}). */
final class JobJar {
    private JobJar() {}

    static Path path() throws Exception {
        Path folder = Path.of("..", "jobs", "target", "job");
        if (!Files.isDirectory(folder)) {
            throw new IllegalStateException(folder + " is missing: build the jobs module first");
        }
        try (Stream<Path> jars = Files.list(folder)) {
            return jars.filter(p -> p.getFileName().toString().matches("treso-jobs-.*\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no job jar in " + folder));
        }
    }
}

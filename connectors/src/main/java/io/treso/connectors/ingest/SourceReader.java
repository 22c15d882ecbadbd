package io.treso.connectors.ingest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads source files of one format into checked batches of canonical events. */
public interface SourceReader {
    /**
     * Reads all files of one run. Most formats read each file on its own; PSP exports may join
     * files (a payout and the balance transactions it settles).
     */
    List<ParsedFile> read(List<Path> files) throws IOException;

    /** One file's parser: throws {@link RefusedFileException} with the one reason it is refused. */
    @FunctionalInterface
    interface FileParser {
        ParsedFile parse(Path file) throws IOException, RefusedFileException;
    }

    /** Reads each file on its own: a refusal refuses that file only. */
    static SourceReader perFile(FileParser parser) {
        return files -> {
            List<ParsedFile> out = new ArrayList<>();
            for (Path f : files) {
                try {
                    out.add(parser.parse(f));
                } catch (RefusedFileException e) {
                    out.add(ParsedFile.refused(f, e.getMessage()));
                }
            }
            return out;
        };
    }
}

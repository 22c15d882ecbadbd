package io.treso.connectors.mt940;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The SWIFT messages of a file, one at a time: FIN messages ({@code {1:...}{4:...-}}) as they are,
 * or bare block-4 text as banks export it, split at each {@code :20:} and wrapped so that Prowide
 * parses it. The first non-blank line tells which. Read line by line, never whole.
 */
final class SwiftMessages implements Closeable {
    private final String wrapper;
    private final BufferedReader in;
    private final Deque<String> ready = new ArrayDeque<>();
    private Boolean fin;
    private StringBuilder current;
    private boolean ended;

    /** Bare text is wrapped as a message of {@code type} (940, 942). */
    SwiftMessages(Path file, String type) throws IOException {
        this.wrapper = "{1:F01TRESOXXXXXXX0000000000}{2:I" + type + "TRESOXXXXXXXN}{4:\n";
        this.in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
    }

    /**
     * One message parsed by Prowide, refused unless it has a text block and is of {@code type} (a
     * bare-text message takes the type it was wrapped with).
     */
    static com.prowidesoftware.swift.model.SwiftMessage parse(String message, String type)
            throws io.treso.connectors.ingest.RefusedFileException {
        com.prowidesoftware.swift.model.SwiftMessage swift;
        try {
            swift = com.prowidesoftware.swift.model.SwiftMessage.parse(message);
        } catch (IOException | RuntimeException e) {
            throw new io.treso.connectors.ingest.RefusedFileException(
                    "not a SWIFT MT message: " + e.getMessage());
        }
        if (swift == null || swift.getBlock4() == null) {
            throw new io.treso.connectors.ingest.RefusedFileException(
                    "a message without a text block (block 4)");
        }
        if (swift.getType() != null && !swift.getType().equals(type)) {
            throw new io.treso.connectors.ingest.RefusedFileException(
                    "an MT" + swift.getType() + " message, not MT" + type);
        }
        return swift;
    }

    /**
     * The information to the account owner ({@code :86:}) that follows the entry ({@code :61:}) at
     * {@code i}, on one line; null when the next tag is not one.
     */
    static String informationAfter(
            java.util.List<com.prowidesoftware.swift.model.Tag> tags, int i) {
        return i + 1 < tags.size() && tags.get(i + 1).getName().equals("86")
                ? tags.get(i + 1).getValue().replaceAll("\\s*\n\\s*", " ").trim()
                : null;
    }

    /** The next message's text, or null after the last. */
    String next() throws IOException {
        while (ready.isEmpty() && !ended) {
            String line = in.readLine();
            if (line == null) {
                ended = true;
                if (current != null) finish();
            } else if (fin == null && line.isBlank()) {
                continue;
            } else {
                if (fin == null) fin = line.contains("{1:");
                if (fin) finLine(line);
                else bareLine(line);
            }
        }
        return ready.poll();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void finLine(String line) {
        int from = 0;
        for (int at = line.indexOf("{1:"); at >= 0; at = line.indexOf("{1:", at + 3)) {
            if (current != null) {
                current.append(line, from, at);
                finish();
            }
            current = new StringBuilder();
            from = at;
        }
        if (current != null) current.append(line, from, line.length()).append('\n');
    }

    private void bareLine(String line) {
        if (line.startsWith(":20:")) {
            if (current != null) finish();
            current = new StringBuilder();
        }
        if (current != null && !line.equals("-") && !line.isBlank()) {
            current.append(line).append('\n');
        }
    }

    private void finish() {
        String text = current.toString().trim();
        current = null;
        if (text.isEmpty()) return;
        ready.add(fin ? text : wrapper + text + "\n-}");
    }
}

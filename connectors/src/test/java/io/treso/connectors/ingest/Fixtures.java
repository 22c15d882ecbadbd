package io.treso.connectors.ingest;

import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** The ingest fixtures under {@code src/test/resources/ingest}, and edited copies of them. */
public final class Fixtures {
    private Fixtures() {}

    public static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/ingest/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("no fixture " + name, e);
        }
    }

    /** A copy of a fixture with one exact text replaced (which must be there). */
    public static Path edited(Path dir, String name, String from, String to) throws IOException {
        String text = Files.readString(path(name));
        if (!text.contains(from)) throw new IllegalArgumentException(from + " not in " + name);
        Path out = dir.resolve(Path.of(name).getFileName());
        Files.writeString(out, text.replace(from, to));
        return out;
    }

    public static List<BankStatement> statements(ParsedFile f) {
        List<BankStatement> out = new ArrayList<>();
        for (IngestBatch b : f.batches()) {
            for (SpecificRecord r : b.events()) if (r instanceof BankStatement s) out.add(s);
        }
        return out;
    }

    public static List<BankTransaction> lines(ParsedFile f) {
        List<BankTransaction> out = new ArrayList<>();
        for (IngestBatch b : f.batches()) {
            for (SpecificRecord r : b.events()) if (r instanceof BankTransaction t) out.add(t);
        }
        return out;
    }

    /** The parsed file, failing with its refusal if it was refused. */
    public static ParsedFile accepted(ParsedFile f) {
        if (f.isRefused()) throw new AssertionError("refused: " + f.refusal());
        return f;
    }
}

package io.treso.connectors.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.util.Preconditions;

/**
 * How a bank's CSV export maps to bank lines: delimiter, decimal separator, date formats and the
 * column of each field. Amounts come from one signed {@code column.amount}, or from {@code
 * column.debit} and {@code column.credit} (both positive). A {@code column.balance} holding the
 * balance after each row gives the export opening and closing balances, checked row by row. Presets
 * ship for Qonto, Revolut Business and Shine; any other bank is a properties file away.
 */
public final class CsvMapping {
    public static final Set<String> PRESETS = Set.of("qonto", "revolut", "shine");

    final char delimiter;
    final char decimal;
    final List<DateTimeFormatter> dateFormats;
    final Properties columns;
    final Set<String> booked;
    final Set<String> pending;
    final String name;

    /**
     * The export's text encoding ({@code encoding=}, default UTF-8; a byte-order mark is skipped).
     */
    final java.nio.charset.Charset encoding;

    /** Whether this is a shipped preset (a refusal then says how to adapt it). */
    final boolean preset;

    /**
     * The zone the export's date-times are written in (Qonto and Revolut: UTC), if not the
     * account's.
     */
    final java.time.ZoneId dateZone;

    private CsvMapping(String name, Properties p, boolean preset) {
        this.name = name;
        this.preset = preset;
        try {
            this.encoding = java.nio.charset.Charset.forName(p.getProperty("encoding", "UTF-8"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "mapping " + name + ": encoding " + p.getProperty("encoding") + " is unknown");
        }
        String d = p.getProperty("delimiter", ",");
        this.delimiter = d.equals("\\t") || d.equals("tab") ? '\t' : d.charAt(0);
        this.decimal = p.getProperty("decimal", ".").charAt(0);
        List<DateTimeFormatter> formats = new ArrayList<>();
        for (String f : p.getProperty("date_formats", "yyyy-MM-dd").split("\\|")) {
            formats.add(DateTimeFormatter.ofPattern(f.trim(), Locale.ROOT));
        }
        this.dateFormats = List.copyOf(formats);
        this.columns = p;
        String dz = p.getProperty("date_zone");
        this.dateZone = dz == null || dz.isBlank() ? null : java.time.ZoneId.of(dz.trim());
        this.booked = set(p.getProperty("status.booked", ""));
        this.pending = set(p.getProperty("status.pending", ""));
        Preconditions.checkArgument(
                column("date") != null, "mapping %s: column.date is required", name);
        Preconditions.checkArgument(
                column("amount") != null || (column("debit") != null && column("credit") != null),
                "mapping %s: give column.amount, or column.debit and column.credit",
                name);
    }

    public static CsvMapping preset(String preset) {
        Preconditions.checkArgument(
                PRESETS.contains(preset), "no CSV preset \"%s\"; presets: %s", preset, PRESETS);
        try (InputStream in = CsvMapping.class.getResourceAsStream(preset + ".properties")) {
            Properties p = new Properties();
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            return new CsvMapping(preset, p, true);
        } catch (IOException e) {
            throw new IllegalStateException("preset " + preset + " unreadable", e);
        }
    }

    public static CsvMapping load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(r);
            return new CsvMapping(file.getFileName().toString(), p, false);
        }
    }

    /** The header a field is read from, or null when the bank's export has no such column. */
    String column(String field) {
        String c = columns.getProperty("column." + field);
        return c == null || c.isBlank() ? null : c.trim();
    }

    /** A fixed value for a field the export does not carry, e.g. {@code currency=EUR}. */
    String fixed(String field) {
        String v = columns.getProperty(field);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static Set<String> set(String s) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String v : s.split("\\|"))
            if (!v.isBlank()) out.add(v.trim().toLowerCase(Locale.ROOT));
        return Set.copyOf(out);
    }
}

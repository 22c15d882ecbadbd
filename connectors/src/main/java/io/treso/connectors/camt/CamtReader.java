package io.treso.connectors.camt;

import io.treso.connectors.ingest.BankEntryIds;
import io.treso.connectors.ingest.BankStatements;
import io.treso.connectors.ingest.BatchCursor;
import io.treso.connectors.ingest.IngestBatch;
import io.treso.connectors.ingest.MinorUnits;
import io.treso.connectors.ingest.ParsedFile;
import io.treso.connectors.ingest.RefusedFileException;
import io.treso.event.BankEntryStatus;
import io.treso.event.BankTransaction;
import io.treso.event.StatementKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.apache.flink.util.Preconditions;

/**
 * ISO 20022 bank-to-customer cash management messages, versions .001.01 to .001.13, read with StAX
 * by namespace: camt.053 statements (END_OF_DAY), camt.052 reports (INTRADAY) and camt.054
 * notifications (lines only). Elements of other namespaces (envelopes, supplementary data) are
 * skipped.
 *
 * <p>Mapping choices: an entry's sign is its {@code CdtDbtInd}, reversals included ({@code RvslInd}
 * only marks them: ISO says the indicator already gives the reversal's own direction). A batch
 * booking ({@code NtryDtls} with several {@code TxDtls}) is one line, because it moves the balance
 * once; the references of its transactions are joined into {@code reference}, so a credit settling
 * several payouts can still match them all. {@code INFO} entries move nothing and are skipped.
 */
public final class CamtReader {
    private static final Pattern NAMESPACE =
            Pattern.compile("urn:iso:std:iso:20022:tech:xsd:(camt\\.05[234])\\.001\\.(\\d{2})");
    private static final int OLDEST = 1;
    private static final int NEWEST = 13;

    /** The three camt messages, by what they give. */
    public enum Message {
        CAMT052("camt.052", "Rpt", StatementKind.INTRADAY),
        CAMT053("camt.053", "Stmt", StatementKind.END_OF_DAY),
        CAMT054("camt.054", "Ntfctn", null);

        final String id;
        final String container;
        final StatementKind kind;

        Message(String id, String container, StatementKind kind) {
            this.id = id;
            this.container = container;
            this.kind = kind;
        }
    }

    private final Message expected;
    private final ZoneId zone;

    public CamtReader(Message expected, ZoneId zone) {
        this.expected = Preconditions.checkNotNull(expected);
        this.zone = Preconditions.checkNotNull(zone);
    }

    /** Checks the file message by message, holding one at a time; see {@link ParsedFile}. */
    public ParsedFile parse(Path file) throws IOException {
        return ParsedFile.streamed(file, () -> new Containers(file));
    }

    /** The file's statements, reports or notifications in file order, one subtree at a time. */
    private final class Containers implements BatchCursor {
        private final InputStream in;
        private final XMLStreamReader xml;
        private String namespace;
        private int read;
        private int entries;

        Containers(Path file) throws IOException {
            this.in = Files.newInputStream(file);
            XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
            try {
                this.xml = factory.createXMLStreamReader(in);
            } catch (XMLStreamException e) {
                in.close();
                throw new IOException(e);
            }
        }

        @Override
        public IngestBatch next() throws RefusedFileException {
            try {
                while (xml.hasNext()) {
                    if (xml.next() != XMLStreamConstants.START_ELEMENT) continue;
                    String ns = xml.getNamespaceURI();
                    if (namespace == null && "Document".equals(xml.getLocalName())) {
                        namespace = checkNamespace(ns);
                    } else if (namespace != null
                            && namespace.equals(ns)
                            && expected.container.equals(xml.getLocalName())) {
                        XmlNode c = subtree(xml, namespace);
                        read++;
                        entries += c.all("Ntry").size();
                        return expected == Message.CAMT054 ? notification(c) : statement(c);
                    }
                }
            } catch (XMLStreamException e) {
                throw new RefusedFileException(
                        "not well-formed XML"
                                + (e.getLocation() == null
                                        ? ""
                                        : " at line " + e.getLocation().getLineNumber())
                                + ": "
                                + firstLine(e.getMessage()));
            }
            if (namespace == null) {
                throw new RefusedFileException(
                        "no ISO 20022 Document element: this is not a " + expected.id + " file");
            }
            if (read == 0) {
                throw new RefusedFileException("no " + expected.container + " element in the file");
            }
            return null;
        }

        @Override
        public int entriesRead() {
            return entries;
        }

        @Override
        public void close() throws IOException {
            try {
                xml.close();
            } catch (XMLStreamException e) {
                // Closing a reader; the input stream is closed below either way.
            }
            in.close();
        }
    }

    private String checkNamespace(String ns) throws RefusedFileException {
        Matcher m = NAMESPACE.matcher(ns == null ? "" : ns);
        if (!m.matches()) {
            throw new RefusedFileException(
                    "namespace \"" + ns + "\" is not an ISO 20022 camt.052/053/054 message");
        }
        if (!m.group(1).equals(expected.id)) {
            throw new RefusedFileException(
                    "this is a " + m.group(1) + " message, not " + expected.id);
        }
        int version = Integer.parseInt(m.group(2));
        if (version < OLDEST || version > NEWEST) {
            throw new RefusedFileException(
                    expected.id + ".001." + m.group(2) + " is not supported (01 to 13 are)");
        }
        return ns;
    }

    /** Reads the element the reader is on, keeping only children of the message's namespace. */
    private static XmlNode subtree(XMLStreamReader xml, String namespace)
            throws XMLStreamException {
        XmlNode root = new XmlNode(xml.getLocalName());
        List<XmlNode> stack = new ArrayList<>();
        stack.add(root);
        attributes(xml, root);
        int skipping = 0;
        while (!stack.isEmpty()) {
            int ev = xml.next();
            if (ev == XMLStreamConstants.START_ELEMENT) {
                if (skipping > 0 || !namespace.equals(xml.getNamespaceURI())) {
                    skipping++;
                    continue;
                }
                XmlNode child = new XmlNode(xml.getLocalName());
                attributes(xml, child);
                stack.get(stack.size() - 1).children.add(child);
                stack.add(child);
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                if (skipping > 0) {
                    skipping--;
                } else {
                    stack.remove(stack.size() - 1);
                }
            } else if ((ev == XMLStreamConstants.CHARACTERS || ev == XMLStreamConstants.CDATA)
                    && skipping == 0) {
                stack.get(stack.size() - 1).text.append(xml.getText());
            }
        }
        return root;
    }

    private static void attributes(XMLStreamReader xml, XmlNode node) {
        for (int i = 0; i < xml.getAttributeCount(); i++) {
            node.attributes.put(xml.getAttributeLocalName(i), xml.getAttributeValue(i));
        }
    }

    private IngestBatch statement(XmlNode s) throws RefusedFileException {
        String id = require(s.text("Id"), "a " + expected.container + " without Id");
        String account = account(s, id);
        String currency = s.text("Acct", "Ccy");
        Long opening = null;
        Long closing = null;
        Long available = null;
        LocalDate balanceDate = null;
        for (XmlNode bal : s.all("Bal")) {
            // Version 1 types a balance Tp/Cd; later versions Tp/CdOrPrtry/Cd.
            String code =
                    bal.text("Tp", "CdOrPrtry", "Cd") != null
                            ? bal.text("Tp", "CdOrPrtry", "Cd")
                            : bal.text("Tp", "Cd");
            XmlNode amt = bal.at("Amt");
            if (code == null || amt == null) continue;
            String ccy = amt.attributes.get("Ccy");
            if (currency == null) currency = ccy;
            long value = signed(bal, amount(amt, currency, "balance " + code + " of " + id));
            switch (code) {
                case "OPBD" -> opening = value;
                case "PRCD" -> opening = opening == null ? value : opening;
                case "CLBD" -> {
                    closing = value;
                    balanceDate = date(dateTime(bal.at("Dt")));
                }
                case "ITBD" -> closing = closing == null ? value : closing;
                case "CLAV", "ITAV" -> available = available == null ? value : available;
                default -> {}
            }
        }
        if (currency == null) currency = entryCurrency(s, "statement " + id);
        require(
                currency,
                "statement " + id + " names no currency (Acct/Ccy, a balance or an entry)");
        Entries entries = entries(s, account, currency, id);
        List<BankTransaction> lines = entries.lines();
        Instant[] period = period(s, balanceDate, lines, id);
        checkSummary(s, lines, currency, id);
        IngestBatch batch =
                BankStatements.batch(
                        new BankStatements.Facts(
                                account,
                                currency,
                                expected.kind,
                                id,
                                sequence(s, period[1]),
                                period[0],
                                period[1],
                                opening,
                                closing,
                                available,
                                count(s),
                                net(s, currency, id),
                                lines));
        return entries.onValueDate() == 0
                ? batch
                : new IngestBatch(
                        batch.label(),
                        batch.events(),
                        batch.check() + "; " + entries.valueDateNote());
    }

    private IngestBatch notification(XmlNode n) throws RefusedFileException {
        String id = require(n.text("Id"), "an Ntfctn without Id");
        String account = account(n, id);
        String currency = n.text("Acct", "Ccy");
        if (currency == null) currency = entryCurrency(n, "notification " + id);
        Entries entries = entries(n, account, currency, null);
        List<BankTransaction> lines = entries.lines();
        if (lines.isEmpty()) {
            throw new RefusedFileException("notification " + id + " has no entries");
        }
        long booked = lines.stream().filter(t -> t.getStatus() == BankEntryStatus.BOOKED).count();
        return new IngestBatch(
                "NOTIFICATION " + id,
                lines,
                lines.size()
                        + " entries ("
                        + booked
                        + " booked); camt.054 carries no balances to check"
                        + (entries.onValueDate() == 0 ? "" : "; " + entries.valueDateNote()));
    }

    /**
     * A container's lines, and how many had no booking date and were booked on their value date.
     */
    private record Entries(List<BankTransaction> lines, int onValueDate) {
        String valueDateNote() {
            return onValueDate
                    + (onValueDate == 1 ? " entry has" : " entries have")
                    + " no booking date (BookgDt) and "
                    + (onValueDate == 1 ? "is" : "are")
                    + " booked on the value date";
        }
    }

    /**
     * The currency of a container whose account and balances name none: its entries', when they
     * agree; null when it has no entries; refused when they disagree.
     */
    private static String entryCurrency(XmlNode container, String where)
            throws RefusedFileException {
        Set<String> currencies = new java.util.TreeSet<>();
        for (XmlNode e : container.all("Ntry")) {
            XmlNode amt = e.at("Amt");
            if (amt != null && amt.attributes.get("Ccy") != null) {
                currencies.add(amt.attributes.get("Ccy"));
            }
        }
        if (currencies.size() > 1) {
            throw new RefusedFileException(
                    where
                            + " names no account currency (Acct/Ccy) and its entries are in "
                            + String.join(" and ", currencies)
                            + ": which one is the account's cannot be told");
        }
        return currencies.isEmpty() ? null : currencies.iterator().next();
    }

    private Entries entries(XmlNode container, String account, String currency, String statementId)
            throws RefusedFileException {
        List<BankTransaction> lines = new ArrayList<>();
        int onValueDate = 0;
        String where = statementId == null ? "notification " + container.text("Id") : statementId;
        int ordinal = 0;
        for (XmlNode e : container.all("Ntry")) {
            ordinal++;
            String status = e.text("Sts", "Cd") != null ? e.text("Sts", "Cd") : e.text("Sts");
            BankEntryStatus st;
            if ("BOOK".equals(status)) {
                st = BankEntryStatus.BOOKED;
            } else if ("PDNG".equals(status)) {
                st = BankEntryStatus.PENDING;
            } else if ("INFO".equals(status)) {
                continue;
            } else {
                throw new RefusedFileException(
                        where + ": entry " + ordinal + " has status \"" + status + "\"");
            }
            XmlNode amt = e.at("Amt");
            if (amt == null) {
                throw new RefusedFileException(where + ": entry " + ordinal + " has no Amt");
            }
            String ccy = amt.attributes.get("Ccy");
            if (currency != null && ccy != null && !ccy.equals(currency)) {
                throw new RefusedFileException(
                        where
                                + ": entry "
                                + ordinal
                                + " is booked in "
                                + ccy
                                + " on a "
                                + currency
                                + " account");
            }
            String lineCurrency = ccy != null ? ccy : currency;
            long amount = signed(e, amount(amt, lineCurrency, where + " entry " + ordinal));
            String booking = dateTime(e.at("BookgDt"));
            String value = dateTime(e.at("ValDt"));
            if (booking == null && value != null) onValueDate++;
            Instant bookedAt =
                    instant(
                            require(
                                    booking != null ? booking : value,
                                    where + ": entry " + ordinal + " has no booking date"));
            List<XmlNode> details = new ArrayList<>();
            XmlNode ntryDtls = e.at("NtryDtls");
            if (ntryDtls != null) details.addAll(ntryDtls.all("TxDtls"));
            details.addAll(e.all("TxDtls")); // version 1: TxDtls directly under Ntry
            boolean credit = amount > 0;
            String bankRef = e.text("AcctSvcrRef");
            if (bankRef == null && details.size() == 1) {
                bankRef = details.get(0).text("Refs", "AcctSvcrRef");
            }
            String reference = reference(e, details);
            if ("true".equalsIgnoreCase(e.text("RvslInd"))) {
                reference = "REVERSAL" + (reference == null ? "" : " " + reference);
            }
            lines.add(
                    BankTransaction.newBuilder()
                            .setEventId(
                                    BankEntryIds.of(
                                            account,
                                            bankRef,
                                            e.text("NtryRef"),
                                            LocalDate.ofInstant(bookedAt, zone),
                                            amount,
                                            ordinal,
                                            st))
                            .setBookedAt(bookedAt)
                            .setValueDate(
                                    value == null
                                            ? null
                                            : LocalDate.ofInstant(instant(value), zone))
                            .setAccountId(account)
                            .setAmountMinor(amount)
                            .setCurrency(lineCurrency)
                            .setStatus(st)
                            .setCounterpartyName(party(details, credit, "Nm"))
                            .setCounterpartyAccount(party(details, credit, "Acct"))
                            .setReference(reference)
                            .setBankReference(bankRef)
                            .setStatementId(statementId)
                            .build());
        }
        return new Entries(lines, onValueDate);
    }

    /** End-to-end ids and remittance texts of every transaction, once each; else the entry's. */
    private static String reference(XmlNode entry, List<XmlNode> details) {
        Set<String> parts = new LinkedHashSet<>();
        for (XmlNode d : details) {
            XmlNode rmt = d.at("RmtInf");
            if (rmt != null) {
                for (XmlNode u : rmt.all("Ustrd")) add(parts, u.text.toString());
                for (XmlNode strd : rmt.all("Strd")) add(parts, strd.text("CdtrRefInf", "Ref"));
            }
            String e2e = d.text("Refs", "EndToEndId");
            if (e2e != null && !"NOTPROVIDED".equalsIgnoreCase(e2e)) add(parts, e2e);
        }
        if (parts.isEmpty()) add(parts, entry.text("AddtlNtryInf"));
        return parts.isEmpty() ? null : String.join(" ", parts);
    }

    private static void add(Set<String> parts, String s) {
        if (s != null && !s.isBlank()) parts.add(s.trim().replaceAll("\\s+", " "));
    }

    /** The other party: the debtor of a credit, the creditor of a debit; null when several. */
    private static String party(List<XmlNode> details, boolean credit, String what) {
        String role = credit ? "Dbtr" : "Cdtr";
        Set<String> found = new LinkedHashSet<>();
        for (XmlNode d : details) {
            XmlNode parties = d.at("RltdPties");
            if (parties == null) continue;
            String v;
            if (what.equals("Nm")) {
                v =
                        parties.text(role, "Nm") != null
                                ? parties.text(role, "Nm")
                                : parties.text(role, "Pty", "Nm");
            } else {
                XmlNode acct = parties.at(role + "Acct", "Id");
                v =
                        acct == null
                                ? null
                                : acct.text("IBAN") != null
                                        ? acct.text("IBAN")
                                        : acct.text("Othr", "Id");
            }
            if (v != null) found.add(v);
        }
        return found.size() == 1 ? found.iterator().next() : null;
    }

    private String account(XmlNode s, String id) throws RefusedFileException {
        String iban = s.text("Acct", "Id", "IBAN");
        // Othr/Id since version 2; version 1 said PrtryAcct/Id or BBAN.
        String other =
                s.text("Acct", "Id", "Othr", "Id") != null
                        ? s.text("Acct", "Id", "Othr", "Id")
                        : s.text("Acct", "Id", "PrtryAcct", "Id") != null
                                ? s.text("Acct", "Id", "PrtryAcct", "Id")
                                : s.text("Acct", "Id", "BBAN");
        return require(iban != null ? iban.replace(" ", "") : other, id + " names no account");
    }

    private Instant[] period(
            XmlNode s, LocalDate balanceDate, List<BankTransaction> lines, String id)
            throws RefusedFileException {
        String from = s.text("FrToDt", "FrDtTm");
        String to = s.text("FrToDt", "ToDtTm");
        if (from != null && to != null) {
            Instant end = instant(to);
            // Banks write an inclusive 23:59:59; the contract's period end is exclusive.
            if (end.getEpochSecond() % 60 == 59 && end.getNano() == 0) end = end.plusSeconds(1);
            return new Instant[] {instant(from), end};
        }
        LocalDate day = balanceDate;
        if (day == null && !lines.isEmpty()) {
            day = LocalDate.ofInstant(lines.get(lines.size() - 1).getBookedAt(), zone);
        }
        require(day, "statement " + id + " gives no period (FrToDt) and no closing balance date");
        LocalDate first = day;
        for (BankTransaction t : lines) {
            LocalDate d = LocalDate.ofInstant(t.getBookedAt(), zone);
            if (d.isBefore(first)) first = d;
        }
        return new Instant[] {
            first.atStartOfDay(zone).toInstant(), day.plusDays(1).atStartOfDay(zone).toInstant()
        };
    }

    /**
     * Electronic, else legal sequence number; else the period's last day, so days stay in order.
     */
    private long sequence(XmlNode s, Instant periodEnd) throws RefusedFileException {
        String seq = s.text("ElctrncSeqNb") != null ? s.text("ElctrncSeqNb") : s.text("LglSeqNb");
        if (seq == null) {
            return LocalDate.ofInstant(periodEnd.minusMillis(1), zone).toEpochDay();
        }
        try {
            return Long.parseLong(seq);
        } catch (NumberFormatException e) {
            throw new RefusedFileException("sequence number \"" + seq + "\" is not a number");
        }
    }

    private static Long count(XmlNode s) throws RefusedFileException {
        String n = s.text("TxsSummry", "TtlNtries", "NbOfNtries");
        if (n == null) return null;
        try {
            return Long.parseLong(n);
        } catch (NumberFormatException e) {
            throw new RefusedFileException("NbOfNtries \"" + n + "\" is not a number");
        }
    }

    /** The declared net: TtlNetNtry (v03+) or TtlNetNtryAmt with its indicator (v02). */
    private Long net(XmlNode s, String currency, String id) throws RefusedFileException {
        XmlNode totals = s.at("TxsSummry", "TtlNtries");
        if (totals == null) return null;
        XmlNode net = totals.at("TtlNetNtry");
        if (net != null && net.at("Amt") != null) {
            return signed(net, amount(net.at("Amt"), currency, id + " TtlNetNtry"));
        }
        XmlNode v2 = totals.at("TtlNetNtryAmt");
        if (v2 != null) {
            return signed(totals, amount(v2, currency, id + " TtlNetNtryAmt"));
        }
        return null;
    }

    /** The declared credit and debit totals, where the bank gives them. */
    private void checkSummary(XmlNode s, List<BankTransaction> lines, String currency, String id)
            throws RefusedFileException {
        checkSide(s, "TtlCdtNtries", lines, true, currency, id);
        checkSide(s, "TtlDbtNtries", lines, false, currency, id);
    }

    private void checkSide(
            XmlNode s,
            String element,
            List<BankTransaction> lines,
            boolean credit,
            String currency,
            String id)
            throws RefusedFileException {
        XmlNode side = s.at("TxsSummry", element);
        if (side == null || side.at("Sum") == null) return;
        long declared = amount(side.at("Sum"), currency, id + " " + element);
        long actual = 0;
        for (BankTransaction t : lines) {
            if (credit == (t.getAmountMinor() > 0)) actual += Math.abs(t.getAmountMinor());
        }
        if (declared != actual) {
            throw new RefusedFileException(
                    "statement "
                            + id
                            + ": the bank declares "
                            + (credit ? "credits" : "debits")
                            + " of "
                            + MinorUnits.format(declared, currency)
                            + ", the entries sum to "
                            + MinorUnits.format(actual, currency));
        }
    }

    private static long amount(XmlNode amt, String currency, String what)
            throws RefusedFileException {
        String ccy = amt.attributes.getOrDefault("Ccy", currency);
        return MinorUnits.of(amt.text.toString().trim(), ccy, what);
    }

    private static long signed(XmlNode holder, long amount) {
        return "DBIT".equals(holder.text("CdtDbtInd")) ? -amount : amount;
    }

    /** The date or date-time inside a DateAndDateTimeChoice element. */
    private static String dateTime(XmlNode choice) {
        if (choice == null) return null;
        return choice.text("DtTm") != null ? choice.text("DtTm") : choice.text("Dt");
    }

    private static LocalDate date(String s) {
        return s == null ? null : LocalDate.parse(s.substring(0, 10));
    }

    /** An ISO date or date-time, with or without offset; local ones are in the account's zone. */
    Instant instant(String s) throws RefusedFileException {
        try {
            if (s.length() <= 10 || (s.length() <= 16 && s.charAt(10) != 'T')) {
                return LocalDate.parse(s.substring(0, 10)).atStartOfDay(zone).toInstant();
            }
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                return LocalDateTime.parse(s).atZone(zone).toInstant();
            }
        } catch (DateTimeParseException e) {
            throw new RefusedFileException("\"" + s + "\" is not an ISO date or date-time");
        }
    }

    private static <T> T require(T value, String reason) throws RefusedFileException {
        if (value == null) throw new RefusedFileException(reason);
        return value;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.split("\n")[0];
    }
}

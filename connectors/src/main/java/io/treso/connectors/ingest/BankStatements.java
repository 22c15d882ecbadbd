package io.treso.connectors.ingest;

import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.StatementKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * Turns a statement read from a bank file into a checked {@link IngestBatch}: the statement plus
 * its lines, after balance continuity (opening + booked entries = closing) and the bank's own
 * declared count and sum. A break refuses the file, naming the statement and the gap.
 */
public final class BankStatements {
    private BankStatements() {}

    /** What a bank file says about one statement; the lines are already built. */
    public record Facts(
            String accountId,
            String currency,
            StatementKind kind,
            String statementId,
            long sequence,
            Instant periodStart,
            Instant periodEnd,
            Long opening,
            Long closing,
            Long available,
            Long declaredCount,
            Long declaredNet,
            List<BankTransaction> lines) {}

    public static IngestBatch batch(Facts f) throws RefusedFileException {
        long sum = 0;
        long count = 0;
        for (BankTransaction t : f.lines()) {
            if (t.getStatus() == BankEntryStatus.BOOKED) {
                sum += t.getAmountMinor();
                count++;
            }
        }
        String where = "statement " + f.statementId() + " of " + f.accountId();
        if (f.kind() == StatementKind.END_OF_DAY && (f.opening() == null || f.closing() == null)) {
            throw new RefusedFileException(
                    where + ": an end-of-day statement without an opening and a closing balance");
        }
        if (f.declaredCount() != null && f.declaredCount() != f.lines().size()) {
            throw new RefusedFileException(
                    where
                            + ": the bank declares "
                            + f.declaredCount()
                            + " entries, the statement has "
                            + f.lines().size());
        }
        long allSum = f.lines().stream().mapToLong(BankTransaction::getAmountMinor).sum();
        if (f.declaredNet() != null && f.declaredNet() != allSum) {
            throw new RefusedFileException(
                    where
                            + ": the bank declares a net of "
                            + MinorUnits.format(f.declaredNet(), f.currency())
                            + ", the entries sum to "
                            + MinorUnits.format(allSum, f.currency()));
        }
        String check;
        if (f.opening() != null && f.closing() != null) {
            long expected = f.opening() + sum;
            if (expected != f.closing()) {
                throw new RefusedFileException(
                        where
                                + ": opening "
                                + MinorUnits.format(f.opening(), f.currency())
                                + " + "
                                + count
                                + " booked entries "
                                + MinorUnits.format(sum, f.currency())
                                + " = "
                                + MinorUnits.format(expected, f.currency())
                                + ", but the closing balance is "
                                + MinorUnits.format(f.closing(), f.currency())
                                + " (gap "
                                + MinorUnits.format(f.closing() - expected, f.currency())
                                + ")");
            }
            check =
                    "balanced: opening "
                            + MinorUnits.format(f.opening(), f.currency())
                            + " + "
                            + count
                            + " booked entries "
                            + MinorUnits.format(sum, f.currency())
                            + " = closing "
                            + MinorUnits.format(f.closing(), f.currency());
        } else {
            check =
                    "no continuity check: the file gives "
                            + (f.opening() == null && f.closing() == null
                                    ? "no balances"
                                    : f.opening() == null
                                            ? "no opening balance"
                                            : "no closing balance")
                            + " ("
                            + count
                            + " booked entries "
                            + MinorUnits.format(sum, f.currency())
                            + ")";
        }
        BankStatement statement =
                BankStatement.newBuilder()
                        .setEventId(f.accountId() + ":" + f.statementId() + ":" + f.sequence())
                        .setAccountId(f.accountId())
                        .setKind(f.kind())
                        .setStatementId(f.statementId())
                        .setSequence(f.sequence())
                        .setPeriodStart(f.periodStart())
                        .setPeriodEnd(f.periodEnd())
                        .setCurrency(f.currency())
                        .setOpeningBalanceMinor(f.opening())
                        .setClosingBalanceMinor(f.closing())
                        .setAvailableBalanceMinor(f.available())
                        .setEntryCount(count)
                        .setEntrySumMinor(sum)
                        .build();
        List<SpecificRecord> events = new ArrayList<>(f.lines());
        events.add(statement);
        return new IngestBatch(f.kind() + " " + f.statementId(), events, check);
    }
}

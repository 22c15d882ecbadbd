package io.treso.schemas;

import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.ControlCommand;
import io.treso.event.FxRate;
import io.treso.event.Heartbeat;
import io.treso.event.Obligation;
import io.treso.event.OrderEvent;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLine;
import io.treso.event.StatementKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Currency;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;

/**
 * The rules of the contract that Avro's types cannot express: known ISO 4217 codes, signs of
 * amounts, non-blank ids, decimal strings that parse, and bounds that keep every later sum exact
 * and every calendar walk short: amounts within ±{@link #MAX_MINOR}, rates within [{@link
 * #MIN_RATE}, {@link #MAX_RATE}], times and dates within the years {@link #FIRST_YEAR} to {@link
 * #LAST_YEAR}. A record an operator could not process is refused here, never thrown inside one. A
 * violation is PERMANENT: the record is dead-lettered with the first rule it breaks.
 */
public final class ContractCheck {
    private ContractCheck() {}

    /** The largest amount, in minor units, of any money field: 10^15 (10 trillion units). */
    public static final long MAX_MINOR = 1_000_000_000_000_000L;

    public static final BigDecimal MAX_RATE = new BigDecimal("1000000000");
    public static final BigDecimal MIN_RATE = new BigDecimal("0.000000001");
    public static final int FIRST_YEAR = 1970;
    public static final int LAST_YEAR = 2199;

    private static final Instant FIRST =
            LocalDate.of(FIRST_YEAR, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
    private static final Instant END =
            LocalDate.of(LAST_YEAR + 1, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);

    /** The first rule {@code record} breaks, or empty when it keeps the contract. */
    public static Optional<String> violation(SpecificRecord record) {
        return violation(record, Integer.MAX_VALUE);
    }

    /**
     * As {@link #violation(SpecificRecord)}, for a record decoded from {@code encodedBytes} bytes
     * (a JSON line, an Avro payload): none of its texts can be longer than that, since a character
     * takes at least one byte of UTF-8 and an escape more, so from at most {@link #MAX_TEXT} bytes
     * the walk over every text is skipped (it was a tenth of the gate's time).
     */
    public static Optional<String> violation(SpecificRecord record, int encodedBytes) {
        try {
            check(record, encodedBytes > MAX_TEXT);
            return Optional.empty();
        } catch (Violation v) {
            return Optional.of(v.getMessage());
        }
    }

    /** True when {@code code} is an ISO 4217 currency the JDK knows. */
    public static boolean isKnownCurrency(String code) {
        if (code == null || code.length() != 3) {
            return false;
        }
        try {
            return Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The longest text any field may hold: names, references and ids are short. */
    public static final int MAX_TEXT = 4096;

    private static void check(SpecificRecord record, boolean textsMayBeTooLong) {
        // Field paths are spelled only for the message: naming every field of every record made
        // this check a hot spot of decoding.
        if (textsMayBeTooLong && anyTooLong(record)) texts(record, "");
        if (record instanceof Heartbeat r) {
            time("occurred_at", r.getOccurredAt());
        } else if (record instanceof OrderEvent r) {
            time("occurred_at", r.getOccurredAt());
            money("amount_minor", r.getAmountMinor());
            if (r.getTaxMinor() != null) money("tax_minor", r.getTaxMinor());
            id(r.getEventId());
            text("store_id", r.getStoreId());
            text("order_id", r.getOrderId());
            currency(r.getCurrency());
            nonNegative("amount_minor", r.getAmountMinor());
            if (r.getTaxMinor() != null) nonNegative("tax_minor", r.getTaxMinor());
        } else if (record instanceof PayoutEvent r) {
            time("occurred_at", r.getOccurredAt());
            date("expected_arrival_date", r.getExpectedArrivalDate());
            money("gross_minor", r.getGrossMinor());
            money("fee_minor", r.getFeeMinor());
            money("refund_minor", r.getRefundMinor());
            money("adjustment_minor", r.getAdjustmentMinor());
            money("net_minor", r.getNetMinor());
            id(r.getEventId());
            text("payout_id", r.getPayoutId());
            text("store_id", r.getStoreId());
            currency(r.getCurrency());
            nonNegative("fee_minor", r.getFeeMinor());
            nonNegative("refund_minor", r.getRefundMinor());
            for (PayoutLine line : r.getLines()) {
                text("lines.source_id", line.getSourceId());
                currency(line.getCurrency());
                money("lines.amount_minor", line.getAmountMinor());
                money("lines.fee_minor", line.getFeeMinor());
                money("lines.net_minor", line.getNetMinor());
                if (line.getExchangeRate() != null)
                    rate("lines.exchange_rate", line.getExchangeRate());
            }
        } else if (record instanceof BankTransaction r) {
            time("booked_at", r.getBookedAt());
            if (r.getValueDate() != null) date("value_date", r.getValueDate());
            money("amount_minor", r.getAmountMinor());
            id(r.getEventId());
            text("account_id", r.getAccountId());
            currency(r.getCurrency());
            if (r.getStatus() == BankEntryStatus.UNKNOWN) {
                throw new Violation("status is not BOOKED or PENDING");
            }
        } else if (record instanceof BankStatement r) {
            time("period_start", r.getPeriodStart());
            time("period_end", r.getPeriodEnd());
            if (r.getOpeningBalanceMinor() != null)
                money("opening_balance_minor", r.getOpeningBalanceMinor());
            if (r.getClosingBalanceMinor() != null)
                money("closing_balance_minor", r.getClosingBalanceMinor());
            if (r.getAvailableBalanceMinor() != null)
                money("available_balance_minor", r.getAvailableBalanceMinor());
            money("entry_sum_minor", r.getEntrySumMinor());
            id(r.getEventId());
            text("account_id", r.getAccountId());
            text("statement_id", r.getStatementId());
            currency(r.getCurrency());
            if (r.getKind() == StatementKind.UNKNOWN) throw new Violation("kind is UNKNOWN");
            if (r.getEntryCount() < 0) throw new Violation("entry_count is negative");
            if (!r.getPeriodEnd().isAfter(r.getPeriodStart())) {
                throw new Violation("period_end is not after period_start");
            }
        } else if (record instanceof Obligation r) {
            time("occurred_at", r.getOccurredAt());
            if (r.getIssuedDate() != null) date("issued_date", r.getIssuedDate());
            if (r.getDueDate() != null) date("due_date", r.getDueDate());
            money("amount_minor", r.getAmountMinor());
            id(r.getEventId());
            text("document_id", r.getDocumentId());
            currency(r.getCurrency());
            nonNegative("amount_minor", r.getAmountMinor());
            if (r.getTaxMinor() != null) {
                money("tax_minor", r.getTaxMinor());
                nonNegative("tax_minor", r.getTaxMinor());
                if (r.getTaxMinor() > r.getAmountMinor()) {
                    throw new Violation(
                            "tax_minor ("
                                    + r.getTaxMinor()
                                    + ") exceeds amount_minor ("
                                    + r.getAmountMinor()
                                    + "); the tax is part of the amount");
                }
            }
        } else if (record instanceof FxRate r) {
            time("occurred_at", r.getOccurredAt());
            id(r.getEventId());
            currency(r.getCurrency());
            currency(r.getBaseCurrency());
            rate("rate", r.getRate());
        } else if (record instanceof ControlCommand r) {
            time("occurred_at", r.getOccurredAt());
            time("effective_at", r.getEffectiveAt());
            if (r.getThresholdMinor() != null) money("threshold_minor", r.getThresholdMinor());
            id(r.getEventId());
            text("kind", r.getKind());
            text("scope", r.getScope());
            if (r.getCurrency() != null) currency(r.getCurrency());
        }
    }

    private static void id(String eventId) {
        text("event_id", eventId);
    }

    private static void text(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new Violation(field + " is missing");
        }
    }

    private static void currency(String code) {
        if (!isKnownCurrency(code)) {
            throw new Violation("unknown currency '" + code + "'");
        }
    }

    private static void nonNegative(String field, long value) {
        if (value < 0) {
            throw new Violation(field + " is negative (" + value + "); the kind gives the sign");
        }
    }

    /** Whether any text, at any depth, is longer than {@link #MAX_TEXT}. */
    private static boolean anyTooLong(Object value) {
        if (value instanceof CharSequence t) return t.length() > MAX_TEXT;
        if (value instanceof IndexedRecord r) {
            int n = r.getSchema().getFields().size();
            for (int i = 0; i < n; i++) if (anyTooLong(r.get(i))) return true;
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) if (anyTooLong(o)) return true;
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (anyTooLong(e.getKey()) || anyTooLong(e.getValue())) return true;
            }
        }
        return false;
    }

    /** No text field longer than {@link #MAX_TEXT}, at any depth (lines, order ids, params). */
    private static void texts(Object value, String field) {
        if (value instanceof CharSequence t) {
            if (t.length() > MAX_TEXT) {
                throw new Violation(
                        field + " is " + t.length() + " characters long; at most " + MAX_TEXT);
            }
        } else if (value instanceof IndexedRecord r) {
            for (Schema.Field f : r.getSchema().getFields()) {
                texts(r.get(f.pos()), field.isEmpty() ? f.name() : field + "." + f.name());
            }
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) texts(o, field);
        } else if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                texts(e.getKey(), field + " key");
                texts(e.getValue(), field + "." + e.getKey());
            }
        }
    }

    private static void money(String field, long minor) {
        if (minor > MAX_MINOR || minor < -MAX_MINOR) {
            throw new Violation(field + " is beyond ±10^15 minor units (" + minor + ")");
        }
    }

    /** Whether {@code t} is within the contract's years (and so within epoch milliseconds). */
    public static boolean withinYears(Instant t) {
        return t != null && !t.isBefore(FIRST) && t.isBefore(END);
    }

    private static void time(String field, Instant t) {
        if (!withinYears(t)) {
            throw new Violation(field + " is outside the years " + FIRST_YEAR + "-" + LAST_YEAR);
        }
    }

    private static void date(String field, LocalDate d) {
        if (d.getYear() < FIRST_YEAR || d.getYear() > LAST_YEAR) {
            throw new Violation(field + " is outside the years " + FIRST_YEAR + "-" + LAST_YEAR);
        }
    }

    /** A positive rate within bounds, told without expanding a huge exponent. */
    private static void rate(String field, String value) {
        BigDecimal rate = decimal(field, value);
        if (rate.signum() <= 0) throw new Violation(field + " must be positive");
        if (rate.precision() - rate.scale() > 10 || rate.compareTo(MAX_RATE) > 0) {
            throw new Violation(field + " is above " + MAX_RATE.toPlainString());
        }
        if (rate.compareTo(MIN_RATE) < 0) {
            throw new Violation(field + " is below " + MIN_RATE.toPlainString());
        }
    }

    private static BigDecimal decimal(String field, String value) {
        try {
            return new BigDecimal(value);
        } catch (RuntimeException e) {
            throw new Violation(field + " is not a decimal string: '" + value + "'");
        }
    }

    private static final class Violation extends RuntimeException {
        Violation(String message) {
            super(message, null, false, false);
        }
    }
}

package io.treso.schemas;

import io.treso.event.BankEntryStatus;
import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.ControlCommand;
import io.treso.event.FxRate;
import io.treso.event.Obligation;
import io.treso.event.OrderEvent;
import io.treso.event.PayoutEvent;
import io.treso.event.PayoutLine;
import io.treso.event.StatementKind;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The rules of the contract that Avro's types cannot express: known ISO 4217 codes, signs of
 * amounts, non-blank ids, and decimal strings that parse. A violation is PERMANENT: the record is
 * dead-lettered with the first rule it breaks.
 */
public final class ContractCheck {
    private ContractCheck() {}

    /** The first rule {@code record} breaks, or empty when it keeps the contract. */
    public static Optional<String> violation(SpecificRecord record) {
        try {
            check(record);
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

    private static void check(SpecificRecord record) {
        if (record instanceof OrderEvent r) {
            id(r.getEventId());
            text("store_id", r.getStoreId());
            text("order_id", r.getOrderId());
            currency(r.getCurrency());
            nonNegative("amount_minor", r.getAmountMinor());
            if (r.getTaxMinor() != null) nonNegative("tax_minor", r.getTaxMinor());
        } else if (record instanceof PayoutEvent r) {
            id(r.getEventId());
            text("payout_id", r.getPayoutId());
            text("store_id", r.getStoreId());
            currency(r.getCurrency());
            nonNegative("fee_minor", r.getFeeMinor());
            nonNegative("refund_minor", r.getRefundMinor());
            for (PayoutLine line : r.getLines()) {
                text("lines.source_id", line.getSourceId());
                currency(line.getCurrency());
                if (line.getExchangeRate() != null)
                    decimal("lines.exchange_rate", line.getExchangeRate());
            }
        } else if (record instanceof BankTransaction r) {
            id(r.getEventId());
            text("account_id", r.getAccountId());
            currency(r.getCurrency());
            if (r.getStatus() == BankEntryStatus.UNKNOWN) {
                throw new Violation("status is not BOOKED or PENDING");
            }
        } else if (record instanceof BankStatement r) {
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
            id(r.getEventId());
            text("document_id", r.getDocumentId());
            currency(r.getCurrency());
            nonNegative("amount_minor", r.getAmountMinor());
        } else if (record instanceof FxRate r) {
            id(r.getEventId());
            currency(r.getCurrency());
            currency(r.getBaseCurrency());
            BigDecimal rate = decimal("rate", r.getRate());
            if (rate.signum() <= 0) throw new Violation("rate must be positive");
        } else if (record instanceof ControlCommand r) {
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

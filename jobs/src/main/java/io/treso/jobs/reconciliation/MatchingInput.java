package io.treso.jobs.reconciliation;

import io.treso.jobs.input.AccountInput;

/** What an account's matching operator reads: its bank side, or a payout destined to it. */
public final class MatchingInput {
    public AccountInput account;
    public PayoutFacts payout;
    public LineBreak lineBreak;

    public MatchingInput() {}

    public static MatchingInput of(AccountInput account) {
        MatchingInput in = new MatchingInput();
        in.account = account;
        return in;
    }

    public static MatchingInput of(PayoutFacts payout) {
        MatchingInput in = new MatchingInput();
        in.payout = payout;
        return in;
    }

    public static MatchingInput of(LineBreak lineBreak) {
        MatchingInput in = new MatchingInput();
        in.lineBreak = lineBreak;
        return in;
    }

    /** The input's event time: what picks the rules and calendar in force for it. */
    public long time() {
        if (lineBreak != null) return lineBreak.payoutAt;
        if (payout != null) return payout.occurredAt;
        if (account.bank != null) return account.bank.getBookedAt().toEpochMilli();
        if (account.statement != null) return account.statement.getPeriodEnd().toEpochMilli();
        return account.control.getEffectiveAt().toEpochMilli();
    }

    /** The input's currency, where it has one. */
    public String currency() {
        if (payout != null) return payout.currency;
        if (account != null && account.bank != null) return account.bank.getCurrency();
        if (account != null && account.statement != null) return account.statement.getCurrency();
        return null;
    }

    public String accountKey() {
        if (lineBreak != null) return lineBreak.accountKey;
        return account != null ? account.accountId() : payout.accountKey();
    }
}

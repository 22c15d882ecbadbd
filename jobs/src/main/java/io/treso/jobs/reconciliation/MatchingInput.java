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

    public String accountKey() {
        if (lineBreak != null) return lineBreak.accountKey;
        return account != null ? account.accountId() : payout.accountKey();
    }
}

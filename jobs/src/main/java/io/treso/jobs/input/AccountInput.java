package io.treso.jobs.input;

import io.treso.event.BankStatement;
import io.treso.event.BankTransaction;
import io.treso.event.ControlCommand;

/**
 * A bank line, a statement or a control command, on one stream. Emitted by the decoder next to the
 * typed streams, so an account's lines and statements from one file or partition keep the order
 * they were read in: two separate streams would interleave by buffer timing.
 */
public final class AccountInput {
    public BankTransaction bank;
    public BankStatement statement;
    public ControlCommand control;

    public AccountInput() {}

    public static AccountInput of(BankTransaction bank) {
        AccountInput in = new AccountInput();
        in.bank = bank;
        return in;
    }

    public static AccountInput of(BankStatement statement) {
        AccountInput in = new AccountInput();
        in.statement = statement;
        return in;
    }

    public static AccountInput of(ControlCommand control) {
        AccountInput in = new AccountInput();
        in.control = control;
        return in;
    }

    public String accountId() {
        if (bank != null) return bank.getAccountId();
        if (statement != null) return statement.getAccountId();
        return control.getScope();
    }
}

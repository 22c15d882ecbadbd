package io.treso.jobs.position;

import io.treso.event.CashAlert;
import io.treso.event.CashPosition;
import io.treso.event.DailyPosition;
import io.treso.event.DeadLetter;

/** Where the position logic sends what it decides. */
public interface PositionOutput {
    void position(CashPosition position);

    void alert(CashAlert alert);

    /** A record the account cannot book, with the reason: it goes to the dead letters. */
    void refused(DeadLetter deadLetter);

    /** Asks to be called again ({@link AccountBook#onWake()}) once the watermark reaches it. */
    void wakeAt(long eventTime);

    /** An account's closing balance for a day, or a revision of it ({@link AccountCloses}). */
    default void dailyClose(DailyPosition close) {}

    /** The LOW_BALANCE threshold in force for an account, for the boards to draw beside it. */
    default void thresholdInForce(String account, String currency, long thresholdMinor) {}
}

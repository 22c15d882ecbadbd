package io.treso.jobs.position;

import io.treso.event.CashAlert;
import io.treso.event.CashPosition;

/** Where the position logic sends what it decides. */
public interface PositionOutput {
    void position(CashPosition position);

    void alert(CashAlert alert);

    /** Asks to be called again ({@link AccountBook#onWake()}) once the watermark reaches it. */
    void wakeAt(long eventTime);
}

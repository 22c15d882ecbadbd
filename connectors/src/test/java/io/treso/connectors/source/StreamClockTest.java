package io.treso.connectors.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamClockTest {
    static final long WEEK = Duration.ofDays(7).toMillis();
    static final long MARCH = Instant.parse("2026-03-16T10:00:00Z").toEpochMilli();
    static final long TYPO = Instant.parse("2027-03-16T10:00:00Z").toEpochMilli();

    @Test
    void aFutureDatedFirstRecordDoesNotSetTheClock() {
        StreamClock c = new StreamClock(WEEK);
        assertTrue(c.plausible(TYPO), "the first record cannot be told yet");
        c.advance(TYPO);
        c.advance(MARCH);
        assertFalse(c.started(), "no clock before a quorum");
        c.advance(MARCH + 60_000);
        assertTrue(c.started());
        assertEquals(MARCH + 60_000, c.highest(), "the median's side, not the typo's");
        assertFalse(c.plausible(TYPO), "the same typo again is implausible now");
        assertTrue(c.plausible(MARCH + WEEK));
    }

    @Test
    void aQuorumOfCloseTimesStartsAtTheirHighestAndThenOnlyMovesForward() {
        StreamClock c = new StreamClock(WEEK);
        for (long t : new long[] {MARCH + 2, MARCH, MARCH + 1}) c.advance(t);
        assertEquals(MARCH + 2, c.highest());
        c.advance(MARCH - 5);
        assertEquals(MARCH + 2, c.highest());
        StreamClock restored = StreamClock.startedAt(MARCH, WEEK);
        assertTrue(restored.started());
        assertFalse(restored.plausible(TYPO));
    }
}

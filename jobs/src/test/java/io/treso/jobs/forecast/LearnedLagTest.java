package io.treso.jobs.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LearnedLagTest {
    @Test
    void theFallbackUntilThreeObservationsThenTheSmoothedDelay() {
        LearnedLag lag = new LearnedLag();
        assertEquals(3, lag.days(3), "nothing seen: the schedule");
        lag.observe(5);
        lag.observe(5);
        assertEquals(3, lag.days(3), "two are not enough");
        lag.observe(5);
        assertEquals(5, lag.days(3));
    }

    @Test
    void aChangeOfScheduleIsFollowedAndOneOddValueIsNot() {
        LearnedLag lag = new LearnedLag();
        for (int i = 0; i < 5; i++) lag.observe(2);
        lag.observe(12); // a payout held once for review: 2 + (12 − 2)/4 = 4.5 → 5
        assertEquals(5, lag.days(0));
        for (int i = 0; i < 6; i++) lag.observe(2);
        assertEquals(3, lag.days(0), "still coming back: 2.5 days");
        lag.observe(2);
        assertEquals(2, lag.days(0), "back to the schedule after seven");
        for (int i = 0; i < 8; i++) lag.observe(7);
        assertEquals(7, lag.days(0), "a new schedule of 7 days, learned");
    }
}

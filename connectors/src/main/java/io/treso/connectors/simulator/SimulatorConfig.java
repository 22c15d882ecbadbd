package io.treso.connectors.simulator;

import java.time.LocalDate;

/**
 * What to simulate. The start is a Monday two weeks before Easter 2026, so that 30 days cross two
 * bank holidays.
 */
public record SimulatorConfig(long seed, int days, int stores, LocalDate start) {
    public static final LocalDate DEFAULT_START = LocalDate.parse("2026-03-16");

    public SimulatorConfig {
        if (days < 7) {
            throw new IllegalArgumentException("simulate at least 7 days, got " + days);
        }
        if (stores < 1 || stores > 2000) {
            throw new IllegalArgumentException("stores must be 1..2000, got " + stores);
        }
    }

    public static SimulatorConfig of(long seed, int days, int stores) {
        return new SimulatorConfig(seed, days, stores, DEFAULT_START);
    }
}

package io.treso.jobs.reconciliation;

/** The payables and receivables known so far (from the broadcast side). */
@FunctionalInterface
public interface Obligations {
    Iterable<ObligationFacts> all();

    Obligations NONE = java.util.List::of;
}

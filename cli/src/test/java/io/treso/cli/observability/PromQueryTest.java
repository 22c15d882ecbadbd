package io.treso.cli.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The board check must catch a wrong name or label, or it proves nothing. */
class PromQueryTest {
    static final Map<String, Set<String>> SCRAPE =
            Map.of(
                    "balance", Set.of("job_name", "account", "currency"),
                    "threshold", Set.of("job_name", "account", "currency"),
                    "events_in", Set.of("job_name", "input"));

    @Test
    void readsNamesFiltersAndGroupings() {
        PromQuery q =
                PromQuery.of(
                        "count(sum by (account, currency) (balance{job_name=~\"$job\", account=~\"a{b}\"}) "
                                + "< on (account, currency) max by (account) (threshold)) or vector(0)");
        assertEquals(
                Map.of("balance", Set.of("job_name", "account"), "threshold", Set.of()),
                q.selectors);
        assertEquals(Set.of("account", "currency"), q.groupedBy);
        assertEquals(List.of(), q.problems(SCRAPE));
    }

    @Test
    void rangesDurationsAndFunctionsAreNotMetrics() {
        PromQuery q =
                PromQuery.of(
                        "time() - max by (input) (increase(events_in{input=\"bank\"}[1h] offset 5m)) / 1e3 > 4 * 86400");
        assertEquals(Map.of("events_in", Set.of("input")), q.selectors);
        assertEquals(List.of(), q.problems(SCRAPE));
    }

    @Test
    void aMetricOrLabelNobodyExportsIsAProblem() {
        assertEquals(
                List.of("no metric treso_balance"),
                PromQuery.of("sum(treso_balance)").problems(SCRAPE));
        assertEquals(
                List.of("balance has no label psp"),
                PromQuery.of("sum(balance{psp=\"x\"})").problems(SCRAPE));
        assertEquals(
                List.of("no metric of the query has the label store"),
                PromQuery.of("sum by (store) (balance)").problems(SCRAPE));
    }
}

package io.treso.jobs.reconciliation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.treso.calendar.BusinessCalendar;
import io.treso.connectors.simulator.ShopSimulator;
import io.treso.connectors.simulator.SimulationTruth;
import io.treso.connectors.simulator.SimulatorConfig;
import io.treso.jobs.runtime.ReplayRuntime;
import io.treso.jobs.testing.SharedMiniCluster;
import io.treso.jobs.testing.SimulatedReplay;
import io.treso.schemas.EventType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reconciliation on the replay path with RocksDB, judged against the simulator's truth. Each
 * subclass is one shape of business: the same bars hold for both, and each prints its figures.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ReconciliationQuality {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SETTLING = Set.of("MATCHED", "PARTIAL", "AMOUNT_MISMATCH");

    /** The alerts this pipeline raises: none may fire twice for one scope on one day. */
    static final Set<String> RECONCILIATION_ALERTS =
            Set.of(
                    "MISSING_PAYOUT",
                    "MISSING_DEPOSIT",
                    "UNRECONCILED_BANK_LINE",
                    "PAYOUT_AMOUNT_MISMATCH",
                    "DUPLICATE_PAYMENT",
                    "OVERDUE_RECEIVABLE");

    Path dir;

    SimulationTruth truth;
    Map<String, JsonNode> finalByBankId = new HashMap<>();
    List<JsonNode> finals = new ArrayList<>();
    List<JsonNode> firsts = new ArrayList<>();
    List<JsonNode> alerts = new ArrayList<>();
    List<JsonNode> positions = new ArrayList<>();
    List<SpecificRecord> input;
    int events;
    long endOfTime;

    /** The business to simulate. */
    abstract SimulatorConfig config();

    /** What this shape of business must exercise, beyond the shared bars. */
    abstract void checkVolume(int resolvable, Set<String> psps, Map<String, Integer> cases);

    String profile() {
        return config().profile().cliName();
    }

    @BeforeAll
    void replay(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path tmp) throws Exception {
        dir = tmp;
        var sim = ShopSimulator.run(config());
        input = sim.events();
        truth = sim.truth();
        events = sim.events().size();
        endOfTime =
                sim.events().stream()
                        .filter(e -> !(e instanceof io.treso.event.ControlCommand))
                        .mapToLong(e -> EventType.eventTime(e).toEpochMilli())
                        .max()
                        .getAsLong();
        double seconds = SimulatedReplay.run(sim, dir);
        System.out.printf(
                "reconciliation quality [%s]: %d events replayed in %.1f s%n",
                profile(), events, seconds);
        Map<String, JsonNode> last = new LinkedHashMap<>();
        for (String l :
                Files.readAllLines(dir.resolve("out").resolve(ReplayRuntime.RECONCILIATION))) {
            JsonNode n = JSON.readTree(l);
            last.put(n.get("match_id").asText(), n); // files are ordered: the last is the latest
            if (n.get("revision").asInt() == 1) firsts.add(n);
        }
        finals.addAll(last.values());
        for (JsonNode n : finals) {
            if (!n.get("match_id").asText().startsWith("bank:")) continue; // a transfer pair
            for (JsonNode id : n.get("bank_event_ids")) finalByBankId.put(id.asText(), n);
        }
        for (String l : Files.readAllLines(dir.resolve("out").resolve(ReplayRuntime.ALERTS))) {
            alerts.add(JSON.readTree(l));
        }
        for (String l : Files.readAllLines(dir.resolve("out").resolve(ReplayRuntime.POSITIONS))) {
            positions.add(JSON.readTree(l));
        }
    }

    boolean decidable(SimulationTruth.Settlement s) {
        return decidable(s.bookedAt);
    }

    /** Whether a credit booked then is decided before the input ends (its window closed). */
    boolean decidable(String bookedAt) {
        BusinessCalendar cal = BusinessCalendar.target(ZoneOffset.UTC);
        LocalDate booked = cal.dateOf(Instant.parse(bookedAt));
        int window = MatchingRules.defaults().windowBusinessDays;
        return cal.startOf(cal.plusBusinessDays(booked, window + 1)).toEpochMilli() <= endOfTime;
    }

    private static Set<String> ids(JsonNode array) {
        Set<String> s = new TreeSet<>();
        array.forEach(n -> s.add(n.asText()));
        return s;
    }

    @Test
    void resolvablePairsMeetPrecisionAndRecall() {
        // A credit is decided when its window closes; past the end of the input it cannot be yet.
        List<SimulationTruth.Settlement> resolvable =
                truth.settlements.stream()
                        .filter(s -> s.label.equals("RESOLVABLE"))
                        .filter(this::decidable)
                        .toList();
        long undecidable = truth.settlements.stream().filter(s -> !decidable(s)).count();
        // Precision over every decision made, including credits decided early whose window
        // closes after the input ends; recall over those whose window closed.
        Map<String, Set<String>> truePairs = new HashMap<>();
        truth.settlements.stream()
                .filter(s -> s.label.equals("RESOLVABLE"))
                .forEach(s -> truePairs.put(s.bankEventId, new TreeSet<>(s.payoutIds)));
        Set<String> psps = new TreeSet<>(), accounts = new TreeSet<>();
        Map<String, Integer> cases = new TreeMap<>();
        for (var s : resolvable) {
            s.payoutIds.forEach(p -> psps.add(p.replaceAll("[-_].*", "")));
            accounts.add(s.bankEventId.substring(0, s.bankEventId.indexOf(':')));
            s.hardCases.forEach(c -> cases.merge(c, 1, Integer::sum));
        }
        int predicted = 0, correct = 0, autoConfirmed = 0;
        Map<String, Integer> byRule = new TreeMap<>();
        for (JsonNode n : finals) {
            if (!SETTLING.contains(n.get("status").asText())) continue;
            if (n.get("payout_ids").isEmpty()) continue; // a payable or receivable
            predicted++;
            byRule.merge(n.get("rule").asText(), 1, Integer::sum);
            if (!n.get("needs_review").asBoolean()) autoConfirmed++;
            String bank = n.get("bank_event_ids").get(0).asText();
            if (ids(n.get("payout_ids")).equals(truePairs.get(bank))) correct++;
        }
        Map<String, Integer> missedByCase = new TreeMap<>();
        int found = 0;
        for (var s : resolvable) {
            JsonNode n = finalByBankId.get(s.bankEventId);
            boolean ok =
                    n != null
                            && SETTLING.contains(n.get("status").asText())
                            && ids(n.get("payout_ids")).equals(new TreeSet<>(s.payoutIds));
            if (ok) found++;
            else {
                s.hardCases.forEach(c -> missedByCase.merge(c, 1, Integer::sum));
                missedByCase.merge("all", 1, Integer::sum);
                if (missedByCase.get("all") <= 5) {
                    System.out.println(
                            "  missed "
                                    + s.bankEventId
                                    + " "
                                    + s.payoutIds
                                    + " "
                                    + s.hardCases
                                    + " → "
                                    + n);
                }
            }
        }
        double precision = predicted == 0 ? 0 : (double) correct / predicted;
        double recall = (double) found / resolvable.size();
        System.out.printf(
                "reconciliation quality ["
                        + profile()
                        + "]: %d events, %d RESOLVABLE pairs (%d more close after the"
                        + " input ends), PSPs %s, accounts %d%n"
                        + "  hard cases %s%n  failed after paid %d%n"
                        + "  precision %.4f (%d/%d)  recall %.4f (%d/%d)  auto-confirmed %.3f%n"
                        + "  settled by rule %s%n  missed by case %s%n",
                events,
                resolvable.size(),
                undecidable,
                psps,
                accounts.size(),
                cases,
                truth.failedAfterPaid.size(),
                precision,
                correct,
                predicted,
                recall,
                found,
                resolvable.size(),
                predicted == 0 ? 0.0 : (double) autoConfirmed / predicted,
                byRule,
                missedByCase);
        checkVolume(resolvable.size(), psps, cases);
        assertTrue(precision >= 0.999, "precision " + precision);
        assertTrue(recall >= 0.995, "recall " + recall);
    }

    @Test
    void ambiguousByDesignComesOutAmbiguousWithEveryCandidateAndNoDeadlineAlert() {
        var ambiguous =
                truth.settlements.stream()
                        .filter(s -> s.label.equals("AMBIGUOUS_BY_DESIGN"))
                        .toList();
        assertTrue(ambiguous.size() >= 6, "three pairs planted");
        Set<String> candidates = new HashSet<>();
        for (var s : ambiguous) {
            JsonNode n = finalByBankId.get(s.bankEventId);
            assertEquals("AMBIGUOUS", n.get("status").asText(), s.bankEventId);
            assertTrue(n.get("needs_review").asBoolean());
            // Every candidate, and only the candidates: the pair the simulator made alike.
            assertEquals(new TreeSet<>(s.payoutIds), ids(n.get("payout_ids")), n.toString());
            candidates.addAll(s.payoutIds);
            candidates.add(s.bankEventId);
        }
        for (JsonNode a : alerts) {
            String type = a.get("type").asText();
            if (type.equals("MISSING_DEPOSIT") || type.equals("UNRECONCILED_BANK_LINE")) {
                assertTrue(!candidates.contains(a.get("scope").asText()), a.toString());
            }
        }
        System.out.printf(
                "reconciliation quality [%s]: %d AMBIGUOUS_BY_DESIGN credits came out AMBIGUOUS%n",
                profile(), ambiguous.size());
    }

    @Test
    void plantedProblemsAreAlertedExactlyOnceAndNothingElse() {
        for (String type :
                List.of(
                        "MISSING_DEPOSIT",
                        "PAYOUT_AMOUNT_MISMATCH",
                        "DUPLICATE_PAYMENT",
                        "OVERDUE_RECEIVABLE",
                        "MISSING_PAYOUT")) {
            Set<String> planted = new TreeSet<>();
            truth.planted(type).forEach(p -> planted.add(p.scope));
            List<String> fired =
                    alerts.stream()
                            .filter(a -> a.get("type").asText().equals(type))
                            .filter(a -> a.get("state").asText().equals("FIRING"))
                            .map(a -> a.get("scope").asText())
                            .toList();
            System.out.printf(
                    "reconciliation quality [%s]: %s planted %s, fired %s%n",
                    profile(), type, planted, fired);
            assertEquals(planted.size(), fired.size(), type + " fired once per planted problem");
            assertEquals(planted, new TreeSet<>(fired), type);
        }
        Set<String> failed = new HashSet<>(truth.failedAfterPaid);
        for (JsonNode n : finals) {
            if (SETTLING.contains(n.get("status").asText())) {
                for (JsonNode p : n.get("payout_ids")) {
                    assertTrue(
                            !failed.contains(p.asText()), "a FAILED payout settles nothing: " + n);
                }
            }
        }
    }

    @Test
    void everyPaidBillAndInvoiceIsMatchedToItsDocument() {
        Map<String, Integer> byRule = new TreeMap<>();
        Set<String> documents = new TreeSet<>();
        for (JsonNode n : finals) {
            if (n.get("obligation_ids").isEmpty()) continue;
            byRule.merge(n.get("rule").asText(), 1, Integer::sum);
            if (n.get("status").asText().equals("MATCHED")) {
                n.get("obligation_ids").forEach(d -> documents.add(d.asText()));
            }
        }
        System.out.printf(
                "reconciliation quality [%s]: %d bills and invoices settled, by rule %s%n",
                profile(), documents.size(), byRule);
        assertTrue(byRule.getOrDefault("payable-reference", 0) >= 5, byRule.toString());
        assertTrue(byRule.getOrDefault("receivable-reference", 0) >= 3, byRule.toString());
        assertTrue(byRule.getOrDefault("receivable-amount", 0) >= 1, byRule.toString());
        assertEquals(1, byRule.getOrDefault("duplicate-payment", 0), byRule.toString());
        assertTrue(
                documents.stream()
                        .noneMatch(
                                d ->
                                        truth.planted("OVERDUE_RECEIVABLE").stream()
                                                .anyMatch(p -> p.scope.equals(d))),
                "an overdue invoice is not paid");
    }

    @Test
    void noAlertFiresTwiceForOneScopeOnOneDay() {
        Map<String, Integer> perScopeDay = new TreeMap<>();
        Map<String, Integer> byType = new TreeMap<>();
        for (JsonNode a : alerts) {
            String type = a.get("type").asText();
            if (!RECONCILIATION_ALERTS.contains(type)) continue;
            if (!a.get("state").asText().equals("FIRING")) continue;
            byType.merge(type, 1, Integer::sum);
            String day = a.get("detected_at").asText().substring(0, 10);
            perScopeDay.merge(type + " " + a.get("scope").asText() + " " + day, 1, Integer::sum);
        }
        System.out.printf(
                "reconciliation quality [%s]: alerts fired over %d days: %s%n",
                profile(), config().days(), byType);
        perScopeDay.forEach((k, n) -> assertEquals(1, n, k + " fired " + n + " times"));
    }

    @Test
    void everyPspScopeWithCapturesHasABalance() {
        Set<String> scopes = new TreeSet<>();
        for (SpecificRecord e : input) {
            if (e instanceof io.treso.event.OrderEvent o
                    && o.getKind() == io.treso.event.OrderKind.CAPTURED) {
                scopes.add(
                        PspLedger.SCOPE_PREFIX
                                + PspInput.scope(
                                        o.getPsp().name(), o.getStoreId(), o.getCurrency()));
            }
        }
        Map<String, Long> balances = new TreeMap<>();
        for (JsonNode p : positions) {
            String scope = p.get("scope").asText();
            if (scope.startsWith(PspLedger.SCOPE_PREFIX)) {
                balances.put(scope, p.get("balance_minor").asLong());
            }
        }
        System.out.printf(
                "reconciliation quality [%s]: %d PSP balances, e.g. %s%n",
                profile(), balances.size(), balances.entrySet().stream().limit(3).toList());
        assertTrue(balances.keySet().containsAll(scopes), scopes + " vs " + balances.keySet());
    }

    @Test
    void everyBankLineGetsTheCategoryTheSimulatorGaveIt() {
        Set<String> toMatch = Set.of("PSP_PAYOUT", "CUSTOMER_RECEIPT");
        Map<String, Integer> right = new TreeMap<>(), wrong = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        int explained = 0, due = 0;
        for (SimulationTruth.Categorised t : truth.categorised) {
            JsonNode n = finalByBankId.get(t.bankEventId);
            if (n != null) {
                String got = n.get("category").isNull() ? "none" : n.get("category").asText();
                if (got.equals(t.category)) right.merge(t.category, 1, Integer::sum);
                else {
                    wrong.merge(t.category + "->" + got, 1, Integer::sum);
                    if (problems.size() < 5)
                        problems.add(t.bankEventId + " " + t.category + ": " + n);
                }
            }
            if (!toMatch.contains(t.category)
                    && !t.category.equals("SUPPLIER")
                    && decidable(t.bookedAt)) {
                due++;
                if (n != null && n.get("status").asText().equals("CATEGORISED")) explained++;
            }
        }
        System.out.printf(
                "reconciliation quality [%s]: categories right %s, wrong %s; %d of %d lines that"
                        + " are no payout or invoice CATEGORISED%n",
                profile(), right, wrong, explained, due);
        assertTrue(wrong.isEmpty(), problems.toString());
        assertEquals(due, explained, "every loan, rent, tax, fee and transfer explained");
        assertTrue(
                alerts.stream()
                        .noneMatch(
                                a ->
                                        a.get("type").asText().equals("UNRECONCILED_BANK_LINE")
                                                && truth.categorised.stream()
                                                        .anyMatch(
                                                                t ->
                                                                        t.bankEventId.equals(
                                                                                        a.get(
                                                                                                        "scope")
                                                                                                .asText())
                                                                                && !toMatch
                                                                                        .contains(
                                                                                                t.category))),
                "no categorised line raises UNRECONCILED_BANK_LINE");
    }

    @Test
    void referenceMatchesAreDecidedAsSoonAsBothSidesAreIn() {
        // Event-time latency of each credit's first decision: decided_at - booked_at.
        Map<String, List<Long>> byRule = new TreeMap<>();
        for (JsonNode n : firsts) {
            if (n.get("booked_at").isNull() || n.get("payout_ids").isEmpty()) continue;
            long minutes =
                    (Instant.parse(n.get("decided_at").asText()).toEpochMilli()
                                    - Instant.parse(n.get("booked_at").asText()).toEpochMilli())
                            / 60_000;
            String rule = n.get("rule").asText().replaceAll(" \\(.*\\)$", "");
            byRule.computeIfAbsent(rule, k -> new ArrayList<>()).add(minutes);
        }
        Map<String, String> figures = new TreeMap<>();
        byRule.forEach(
                (rule, m) -> {
                    m.sort(null);
                    figures.put(
                            rule,
                            String.format(
                                    "n=%d median %d min p95 %d min",
                                    m.size(), m.get(m.size() / 2), m.get(m.size() * 95 / 100)));
                });
        System.out.printf(
                "reconciliation quality [%s]: decision latency (event time) by rule %s%n",
                profile(), figures);
        List<Long> reference = byRule.get("reference");
        assertTrue(reference != null && reference.size() > 50, byRule.keySet().toString());
        assertEquals(0, reference.get(reference.size() / 2), "reference matches: median 0");
        assertTrue(
                reference.get(reference.size() * 95 / 100) <= 60,
                "reference matches: p95 within an hour, " + figures.get("reference"));
    }

    /** How many transfers between the business's own accounts the simulation holds. */
    abstract int internalTransfers();

    @Test
    void transfersBetweenOwnAccountsArePairedDebitToCredit() {
        Map<String, String> categoryOf = new HashMap<>();
        truth.categorised.forEach(t -> categoryOf.put(t.bankEventId, t.category));
        List<String> pairs = new ArrayList<>();
        for (JsonNode n : finals) {
            if (!n.get("rule").asText().equals("internal-transfer")) continue;
            List<String> legs = new ArrayList<>();
            n.get("bank_event_ids").forEach(id -> legs.add(id.asText()));
            pairs.add(legs.toString());
            assertEquals(2, legs.size(), n.toString());
            for (String leg : legs) assertEquals("INTERNAL_TRANSFER", categoryOf.get(leg), leg);
            assertTrue(
                    !legs.get(0).split(":")[0].equals(legs.get(1).split(":")[0]),
                    "two accounts: " + legs);
        }
        System.out.printf(
                "reconciliation quality [%s]: internal transfers paired %s%n", profile(), pairs);
        assertEquals(internalTransfers(), pairs.size(), pairs.toString());
    }
}

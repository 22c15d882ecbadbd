package io.treso.connectors.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the simulator injected: every account's exact expected balance, the problems it planted, and
 * which bank line settles which payout. Tests and benchmarks read it; main code never does.
 */
public final class SimulationTruth {
    public long seed;
    public int days;
    public int stores;
    public String start;
    public String end;
    public int eventCount;
    public int duplicateDeliveries;
    public List<Account> accounts = new ArrayList<>();
    public List<Planted> planted = new ArrayList<>();
    public List<Settlement> settlements = new ArrayList<>();

    /** The category of every delivered bank line whose nature the simulator knows. */
    public List<Categorised> categorised = new ArrayList<>();

    /** VAT paid per period id (2026-04, 2026-Q2), minor units EUR: with a VAT regime only. */
    public java.util.Map<String, Long> vatPaid = new java.util.TreeMap<>();

    /** A bank line and what it is: PSP_PAYOUT, SUPPLIER, RENT, LOAN, INTERNAL_TRANSFER… */
    public static final class Categorised {
        public String bankEventId;
        public String bookedAt;
        public String category;
    }

    /** Payouts reported PAID, then FAILED: no credit ever comes, and none is missing. */
    public List<String> failedAfterPaid = new ArrayList<>();

    /** An account and the balance Treso must end with. */
    public static final class Account {
        public String accountId;
        public String currency;
        public long openingBalanceMinor;
        public long expectedBalanceMinor;
        public long bankReportedClosingMinor;
        public long lowBalanceThresholdMinor;
        public long lowBalanceMarginMinor;
    }

    /** A planted problem: its type, scope, when it starts and the ids that show it. */
    public static final class Planted {
        public String type;
        public String scope;
        public String at;
        public String until;
        public List<String> ids = new ArrayList<>();
        public String note;
    }

    /** A bank credit that settles payouts; AMBIGUOUS_BY_DESIGN when nothing tells it apart. */
    public static final class Settlement {
        public String bankEventId;
        public String bookedAt;
        public List<String> payoutIds = new ArrayList<>();
        public String label;

        /** The hard cases it exercises: TRUNCATED_REFERENCE, N_TO_1, FX, LATE_STATEMENT… */
        public List<String> hardCases = new ArrayList<>();
    }

    public List<Planted> planted(String type) {
        return planted.stream().filter(p -> p.type.equals(type)).toList();
    }

    public Account account(String id) {
        return accounts.stream().filter(a -> a.accountId.equals(id)).findFirst().orElseThrow();
    }

    public void write(Path file) throws IOException {
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), this);
    }

    public static SimulationTruth read(Path file) throws IOException {
        return new ObjectMapper().readValue(file.toFile(), SimulationTruth.class);
    }
}

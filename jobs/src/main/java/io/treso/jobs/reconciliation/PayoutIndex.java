package io.treso.jobs.reconciliation;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * An account's open payouts by the first letters of their id and of their descriptor, kept in
 * state: a credit whose reference may name a payout reads the handful under its reference's
 * letters, not every open payout (reading all of them for each credit was two thirds of the bank
 * matcher's time on RocksDB). Each payout records the keys it is filed under, so a settled one
 * leaves the index and a changed descriptor moves it, without reading what is there.
 */
final class PayoutIndex {
    private final MatchStore store;

    PayoutIndex(MatchStore store) {
        this.store = store;
    }

    /** Files an open payout under its keys, and a settled one under none. */
    void file(TrackedPayout p) {
        boolean open = p.matchId == null;
        String id = open ? idKey(p) : null;
        String descriptor = open ? descriptorKey(p) : null;
        if (!Objects.equals(id, p.filedUnderId)) {
            move(p.payoutId, p.filedUnderId, id);
            p.filedUnderId = id;
        }
        if (!Objects.equals(descriptor, p.filedUnderDescriptor)) {
            move(p.payoutId, p.filedUnderDescriptor, descriptor);
            p.filedUnderDescriptor = descriptor;
        }
    }

    /** A payout leaving state: out of the index too. */
    void forget(TrackedPayout p) {
        move(p.payoutId, p.filedUnderId, null);
        move(p.payoutId, p.filedUnderDescriptor, null);
        p.filedUnderId = null;
        p.filedUnderDescriptor = null;
    }

    /**
     * The ids filed under any piece of {@code ref} (normalised) that may begin a payout id, or
     * under its start for descriptors: a superset of the open payouts it can name.
     */
    Set<String> under(String ref) {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i + References.PREFIX <= ref.length(); i++) {
            String piece = ref.substring(i, i + References.PREFIX);
            ids.addAll(Arrays.asList(store.payoutsUnder("i" + piece)));
            if (i == 0) ids.addAll(Arrays.asList(store.payoutsUnder("d" + piece)));
        }
        return ids;
    }

    /** Whether {@code ref} has a piece that begins the payout's id, or begins as its descriptor. */
    static boolean reachable(String ref, TrackedPayout p) {
        String id = p.referenceId(), d = p.referenceDescriptor();
        if (d.length() >= References.PREFIX && ref.startsWith(d.substring(0, References.PREFIX))) {
            return true;
        }
        return id.length() >= References.PREFIX && ref.contains(id.substring(0, References.PREFIX));
    }

    private static String idKey(TrackedPayout p) {
        String id = p.referenceId();
        return id.length() >= References.PREFIX ? "i" + id.substring(0, References.PREFIX) : null;
    }

    private static String descriptorKey(TrackedPayout p) {
        String d = p.referenceDescriptor();
        return d.length() >= References.PREFIX ? "d" + d.substring(0, References.PREFIX) : null;
    }

    private void move(String payoutId, String from, String to) {
        if (from != null) {
            String[] ids = store.payoutsUnder(from);
            String[] kept =
                    Arrays.stream(ids).filter(i -> !i.equals(payoutId)).toArray(String[]::new);
            if (kept.length != ids.length) store.putPayoutsUnder(from, kept);
        }
        if (to != null) {
            String[] ids = store.payoutsUnder(to);
            if (Arrays.asList(ids).contains(payoutId)) return;
            String[] more = Arrays.copyOf(ids, ids.length + 1);
            more[ids.length] = payoutId;
            store.putPayoutsUnder(to, more);
        }
    }
}

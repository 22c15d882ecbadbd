package io.treso.jobs.input;

import java.util.Arrays;

/**
 * A small set of event ids as 64-bit FNV-1a hashes, for the few ids one key sees (an order's
 * capture, refunds, chargeback, payout lines): cheap to read and write for every record, and
 * collisions among a handful of ids are negligible.
 */
public final class EventIdHashes {
    private EventIdHashes() {}

    public static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** {@code seen} plus {@code id}, or null when {@code id} was already there. */
    public static long[] addIfAbsent(long[] seen, String id) {
        long h = hash(id);
        for (long x : seen) if (x == h) return null;
        long[] more = Arrays.copyOf(seen, seen.length + 1);
        more[seen.length] = h;
        return more;
    }
}

package io.treso.jobs.variance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** A scope's recent past in one value: its buckets in order, and the value through its bytes. */
class ScopeRecentTest {
    static final long HOUR = 3_600_000L;

    static Bucket bucket(long start, long sales) {
        Bucket b = new Bucket();
        b.family = Bucket.STORE;
        b.scope = "store-1/SHOPIFY";
        b.store = "store-1";
        b.currency = "EUR";
        b.start = start;
        b.end = start + HOUR;
        b.primary = sales;
        b.secondary = -sales / 10;
        b.count = 3;
        b.secondaryCount = 1;
        b.primarySquares = Long.MAX_VALUE; // saturated
        b.primaryCubes = 12_345;
        b.secondarySquares = 0;
        b.evidence = new String[] {"o-" + start};
        b.uplift = 1.5;
        b.ready = true;
        b.expected = new double[] {1, 2, Double.NaN, 4};
        b.variance = new double[] {5, 6, 7, 8};
        return b;
    }

    @Test
    void bucketsStayInOrderWhateverOrderTheyArriveIn() {
        ScopeRecent r = new ScopeRecent(bucket(0, 0), HOUR);
        for (long h : new long[] {3, 1, 2, 0, 2}) r.putBucket(bucket(h * HOUR, h * 100));
        assertEquals(4, r.buckets.size(), "a second put of hour 2 replaces it");
        for (int i = 0; i < 4; i++) assertEquals(i * HOUR, r.buckets.get(i).start);
        assertEquals(200, r.bucket(2 * HOUR).primary);
        assertEquals("store-1/SHOPIFY", r.bucket(2 * HOUR).scope, "names from the identity");
        r.removeBucket(HOUR);
        assertNull(r.bucket(HOUR));
        assertNull(r.bucket(9 * HOUR));
    }

    @Test
    void everyFieldSurvivesItsBytesAndOldBucketsKeepTheirFiguresOnly() throws IOException {
        ScopeRecent r = new ScopeRecent(bucket(0, 0), 40 * HOUR);
        for (long h = 0; h < 30; h++) r.putBucket(bucket(h * HOUR, h * 1_000 - 5_000));
        r.trailing.buckets = 30;
        r.trailing.sales = -77;
        r.localDay = WindowSums.keepingBuckets(24 * HOUR);
        r.localDay.add(bucket(24 * HOUR, 9));
        EpisodeState st = new EpisodeState();
        st.firing = true;
        st.alertId = "a-1";
        st.scale = "PT4H";
        r.episodes.put(VarianceType.SALES_DROP, st);
        r.forgetDetailBefore(6 * HOUR);

        byte[] bytes = bytes(r);
        ScopeRecent back =
                ScopeRecentSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(bytes, 0, bytes.length));
        assertArrayEquals(bytes, bytes(back), "what is read back writes the same bytes");
        assertEquals("EUR", back.identity.currency);
        assertEquals(40 * HOUR, back.nextEnd);
        assertEquals(-77, back.trailing.sales);
        assertNull(back.localWeek);
        assertEquals(9, back.localDay.sales);
        assertTrue(back.episodes.get(VarianceType.SALES_DROP).firing);
        Bucket old = back.bucket(4 * HOUR), kept = back.bucket(6 * HOUR);
        assertEquals(-1_000, old.primary, "sales kept (negative too)");
        assertEquals(100, old.secondary, "refunds kept");
        assertEquals(1, old.secondaryCount, "refund count kept");
        assertEquals(0, old.evidence.length, "no evidence past the detail line");
        assertEquals(0, old.count);
        assertEquals(Long.MAX_VALUE, kept.primarySquares);
        assertEquals(1_000, kept.primary);
        assertTrue(Double.isNaN(kept.expected[2]));
        assertArrayEquals(new String[] {"o-" + 6 * HOUR}, kept.evidence);
    }

    static byte[] bytes(ScopeRecent r) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(1024);
        ScopeRecentSerializer.INSTANCE.serialize(r, out);
        return out.getCopyOfBuffer();
    }
}

package io.treso.jobs.variance;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Stamps the summed bucket with its window. */
public final class BucketWindow extends ProcessWindowFunction<Bucket, Bucket, String, TimeWindow> {
    private static final long serialVersionUID = 1L;

    @Override
    public void process(String key, Context ctx, Iterable<Bucket> sums, Collector<Bucket> out) {
        for (Bucket b : sums) {
            b.start = ctx.window().getStart();
            b.end = ctx.window().getEnd();
            out.collect(b);
        }
    }
}

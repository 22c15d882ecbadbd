package io.treso.jobs.variance;

/** Whether a detector is firing for a scope, and since which window (the alert's identity). */
public final class EpisodeState {
    public boolean firing;
    public String alertId;
    public long windowStart;
}

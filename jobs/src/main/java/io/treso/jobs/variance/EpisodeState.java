package io.treso.jobs.variance;

/**
 * Whether a detector is firing for a scope, since which window (the alert's identity), and which
 * scale fired it and in which local day or week: the episode ends when that scale is back to usual
 * or its day or week is over.
 */
public final class EpisodeState {
    public boolean firing;
    public String alertId;
    public long windowStart;
    public String scale = "";
    public long period;
}

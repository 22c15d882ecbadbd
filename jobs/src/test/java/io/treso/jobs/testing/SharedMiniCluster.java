package io.treso.jobs.testing;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** One MiniCluster per test JVM, with slots for the jobs that run at once. */
public final class SharedMiniCluster {
    private SharedMiniCluster() {}

    public static MiniClusterExtension extension() {
        Configuration conf = new Configuration();
        conf.setString("pipeline.generic-types", "false");
        conf.setString("taskmanager.memory.managed.size", "256m");
        conf.setString("taskmanager.memory.network.min", "64m");
        conf.setString("taskmanager.memory.network.max", "64m");
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(8)
                        .setConfiguration(conf)
                        .build());
    }
}

package io.treso.jobs.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treso.jobs.testing.SharedMiniCluster;
import java.util.Optional;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FlinkSettingsTest {
    @RegisterExtension static final MiniClusterExtension FLINK = SharedMiniCluster.extension();

    @Test
    void aKryoFallbackFailsFastInsteadOfSilently() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        FlinkSettings.applyJobDefaults(env);
        Throwable t =
                assertThrows(
                        Throwable.class,
                        () -> {
                            env.fromData(Optional.of(1), Optional.of(2))
                                    .executeAndCollect()
                                    .close();
                        });
        String all = "";
        for (Throwable c = t; c != null; c = c.getCause()) all += c.getMessage() + " | ";
        assertTrue(all.contains("Generic types have been disabled"), all);
    }

    @Test
    void liveJobsFlushNetworkBuffersSoonerForAlertLatency() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        FlinkSettings.applyJobDefaults(env);
        assertEquals(100, env.getBufferTimeout(), "replays keep Flink's default");
        FlinkSettings.liveNetworkBuffers(env);
        assertEquals(FlinkSettings.LIVE_BUFFER_TIMEOUT_MS, env.getBufferTimeout());
    }
}

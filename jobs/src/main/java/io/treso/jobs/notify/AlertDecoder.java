package io.treso.jobs.notify;

import io.treso.connectors.source.SourceRecord;
import io.treso.event.CashAlert;
import io.treso.event.DeadLetter;
import io.treso.event.ErrorClass;
import io.treso.schemas.registry.RegistryEndpoint;
import io.treso.schemas.wire.AvroWireDecoder;
import io.treso.schemas.wire.DecodeException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes the alerts topic. A record that is no alert is dead-lettered with its place and reason,
 * so one bad record never stops the notifier; a registry that cannot be reached fails the task,
 * which restarts and reads the record again.
 */
public final class AlertDecoder extends ProcessFunction<SourceRecord, CashAlert> {
    private static final long serialVersionUID = 1L;
    private static final int KEEP_BYTES = 64 * 1024;

    public static final OutputTag<DeadLetter> UNREADABLE = new OutputTag<>("unreadable-alerts") {};

    private final RegistryEndpoint registry;
    private transient AvroWireDecoder<CashAlert> decoder;

    public AlertDecoder(RegistryEndpoint registry) {
        this.registry = registry;
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new AvroWireDecoder<>(registry.client(), CashAlert.class);
    }

    @Override
    public void processElement(SourceRecord raw, Context ctx, Collector<CashAlert> out) {
        try {
            out.collect(decoder.decode(raw.payload));
        } catch (DecodeException e) {
            if (!e.isPermanent()) throw e;
            ctx.output(
                    UNREADABLE,
                    DeadLetter.newBuilder()
                            .setReason(e.reason())
                            .setDetail("not an alert: " + e.detail())
                            .setErrorClass(ErrorClass.PERMANENT)
                            .setRecordType("alert")
                            .setEventId(null)
                            .setEventTime(null)
                            .setSourceTopic(raw.origin)
                            .setSourcePartition(raw.partition)
                            .setSourceOffset(raw.position)
                            .setSourceFile(null)
                            .setSourceLine(null)
                            .setOriginalBytes(
                                    ByteBuffer.wrap(
                                            Arrays.copyOf(
                                                    raw.payload,
                                                    Math.min(raw.payload.length, KEEP_BYTES))))
                            .build());
        }
    }
}

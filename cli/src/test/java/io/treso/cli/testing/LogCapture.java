package io.treso.cli.testing;

import java.io.StringWriter;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Every log line of the test JVM from {@link #start} to {@link #close}, at INFO and above for the
 * given loggers, with exceptions and their causes: what an operator's log would hold, scanned by
 * the tests for secrets.
 */
public final class LogCapture implements AutoCloseable {
    private final StringWriter lines = new StringWriter();
    private final String name;

    private LogCapture(String name) {
        this.name = name;
    }

    /** Captures the root logger; {@code infoLoggers} are lowered to INFO for the capture. */
    public static LogCapture start(String name, String... infoLoggers) {
        LogCapture c = new LogCapture(name);
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        WriterAppender appender =
                WriterAppender.newBuilder()
                        .setName(name)
                        .setTarget(c.lines)
                        .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m %ex%n").build())
                        .build();
        appender.start();
        ctx.getConfiguration().addAppender(appender);
        ctx.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        ctx.updateLoggers();
        for (String logger : infoLoggers) Configurator.setLevel(logger, Level.INFO);
        return c;
    }

    public String text() {
        synchronized (lines) {
            return lines.toString();
        }
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(name);
        ctx.updateLoggers();
    }
}

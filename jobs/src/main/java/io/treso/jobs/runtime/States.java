package io.treso.jobs.runtime;

/**
 * Flink state calls throw checked exceptions that no caller can handle: operators' stores rethrow
 * them unchecked through here, so a failing state backend fails the task and it restarts from the
 * last checkpoint.
 */
public final class States {
    private States() {}

    /** A state read. */
    @FunctionalInterface
    public interface Read<T> {
        T get() throws Exception;
    }

    /** A state write. */
    @FunctionalInterface
    public interface Write {
        void run() throws Exception;
    }

    public static <T> T read(Read<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("state access failed", e);
        }
    }

    public static void write(Write write) {
        read(
                () -> {
                    write.run();
                    return null;
                });
    }
}

package io.github.sockleak;

import java.time.Duration;
import java.util.Set;

/**
 * Records a {@link SocketTimeline}: samples this process's sockets, and every socket of the watched ports, on a
 * background thread at a fixed interval, with the own-socket reads of {@link Sockets#ownSnapshot(Set)}, and keeps
 * only what changed. {@link #stop()} takes a last sample and returns the timeline; nothing is kept after.
 */
public final class SocketRecorder implements AutoCloseable {

    private SocketRecorder() {
    }

    /**
     * Starts recording now, with a first sample taken before this returns.
     *
     * @param interval     the time between two samples
     * @param watchedPorts local ports whose every socket is recorded, whoever holds it; may be empty
     * @return the running recorder
     * @throws SocketSnapshotException when the first sample cannot be taken
     */
    public static SocketRecorder start(Duration interval, Set<Integer> watchedPorts) {
        throw new UnsupportedOperationException("to be built");
    }

    /**
     * Marks the start of a named phase, ending the one before.
     *
     * @param name the phase, such as {@code "test"}
     */
    public void phase(String name) {
        throw new UnsupportedOperationException("to be built");
    }

    /**
     * Takes a last sample, stops the background thread and returns the recording.
     *
     * @return the timeline
     */
    public SocketTimeline stop() {
        throw new UnsupportedOperationException("to be built");
    }

    /** Stops recording, for try-with-resources; the timeline is dropped. */
    @Override
    public void close() {
        stop();
    }

    /** What a recording watches run. */
    @FunctionalInterface
    public interface Action {
        /**
         * Does the work whose sockets are recorded.
         *
         * @throws Exception whatever the work throws, rethrown by the recording
         */
        void run() throws Exception;
    }
}

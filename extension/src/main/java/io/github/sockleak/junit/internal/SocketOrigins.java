package io.github.sockleak.junit.internal;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.junit.internal.origins.AbandonedSocket;
import io.github.sockleak.junit.internal.origins.Origin;
import io.github.sockleak.junit.internal.origins.TestMark;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** Where this JVM opened the sockets behind kernel rows, as far as the origin agent saw; nothing without it. */
public interface SocketOrigins {

    /** Knows nothing: the agent is not installed or origins are off. */
    SocketOrigins NONE = new SocketOrigins() {
        @Override
        public Optional<Origin> of(TcpSocket socket) {
            return Optional.empty();
        }

        @Override
        public Optional<Origin> peerOf(TcpSocket socket) {
            return Optional.empty();
        }

        @Override
        public Optional<Origin> listenerOf(TcpSocket queued) {
            return Optional.empty();
        }

        @Override
        public List<AbandonedSocket> abandonedBy(TestMark check) {
            return List.of();
        }

        @Override
        public List<AbandonedSocket> abandonedByEndedTests() {
            return List.of();
        }
    };

    /** The socket's own origin: where it was connected, accepted, or listened on. */
    Optional<Origin> of(TcpSocket socket);

    /** The origin of the other end of the connection, when that end is in this JVM too, or was until lately. */
    Optional<Origin> peerOf(TcpSocket socket);

    /** For a connection nobody accepted: the origin of the listener whose accept queue holds it. */
    Optional<Origin> listenerOf(TcpSocket queued);

    /**
     * Takes the sockets opened for {@code check} that the garbage collector took while they were open; without the
     * agent nobody can tell, and the kernel shows such a socket closed.
     */
    List<AbandonedSocket> abandonedBy(TestMark check);

    /** Takes the sockets collected while open whose test's check had already ended, so that they are not lost. */
    List<AbandonedSocket> abandonedByEndedTests();

    /**
     * The origins a socket's opening can be read from, most direct first and each asked only when the one before it
     * is unknown: its own, then for a connection nobody accepted its client's and its listener's.
     */
    default Stream<Origin> openings(TcpSocket socket) {
        return Stream.<Supplier<Optional<Origin>>>of(() -> of(socket), () -> peerOf(socket), () -> listenerOf(socket))
                .map(Supplier::get)
                .flatMap(Optional::stream);
    }

    /**
     * Runs {@code action} once, on the thread that binds it, right after this JVM next binds a listener through the
     * JDK's socket classes.
     *
     * @return false, and the action never runs, when the agent does not see listeners open
     */
    default boolean onNextListener(Runnable action) {
        return false;
    }

    /** Forgets an {@link #onNextListener} action that has not run yet. */
    default void forget(Runnable action) {
    }

    /** Whether origins are recorded at all. */
    default boolean isRecording() {
        return this != NONE;
    }
}

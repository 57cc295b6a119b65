package io.github.sockleak.junit.internal;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.junit.internal.origins.AbandonedSocket;
import io.github.sockleak.junit.internal.origins.Origin;
import io.github.sockleak.junit.internal.origins.TestMark;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Where this JVM opened the sockets behind kernel rows, as far as the origin agent saw; nothing without it. Each
 * method answers as one that knows nothing, unless the agent's origins know better.
 */
public interface SocketOrigins {

    /** Knows nothing: the agent is not installed or origins are off. */
    SocketOrigins NONE = new SocketOrigins() {
    };

    /** The socket's own origin: where it was connected, accepted, or listened on. */
    default Optional<Origin> of(TcpSocket socket) {
        return Optional.empty();
    }

    /** The origin of the other end of the connection, when that end is in this JVM too, or was until lately. */
    default Optional<Origin> peerOf(TcpSocket socket) {
        return Optional.empty();
    }

    /** For a connection nobody accepted: the origin of the listener whose accept queue holds it. */
    default Optional<Origin> listenerOf(TcpSocket queued) {
        return Optional.empty();
    }

    /**
     * Takes the sockets opened for {@code check} that the garbage collector took while they were open; without the
     * agent nobody can tell, and the kernel shows such a socket closed.
     */
    default List<AbandonedSocket> abandonedBy(TestMark check) {
        return List.of();
    }

    /** Takes the sockets collected while open whose test's check had already ended, so that they are not lost. */
    default List<AbandonedSocket> abandonedByEndedTests() {
        return List.of();
    }

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

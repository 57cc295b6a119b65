package io.github.sockleak.junit.internal;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.junit.internal.origins.Origin;
import java.util.Optional;

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
    };

    /** The socket's own origin: where it was connected, accepted, or listened on. */
    Optional<Origin> of(TcpSocket socket);

    /** The origin of the other end of the connection, when that end is in this JVM too. */
    Optional<Origin> peerOf(TcpSocket socket);

    /** For a connection nobody accepted: the origin of the listener whose accept queue holds it. */
    Optional<Origin> listenerOf(TcpSocket queued);

    /** Whether origins are recorded at all. */
    default boolean isRecording() {
        return this != NONE;
    }
}

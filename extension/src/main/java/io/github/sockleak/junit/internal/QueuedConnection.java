package io.github.sockleak.junit.internal;

import io.github.sockleak.Owner;
import io.github.sockleak.TcpSocket;

/**
 * Which rows are connections a server has not accepted yet: no descriptor, and a listener's queue holds them. On
 * this process's listener the snapshot marks them {@link Owner#ACCEPT_QUEUE}; on another process's listener (a
 * watched port) they are {@link Owner#OTHER_PROCESS} rows without a descriptor, which is how the snapshot tells
 * them from that process's accepted connections. Either way nobody in the server opened them: their client did,
 * and when the client is in this JVM its origin speaks for them.
 */
final class QueuedConnection {

    private QueuedConnection() {
    }

    static boolean waitsForAccept(TcpSocket socket) {
        return socket.owner() == Owner.ACCEPT_QUEUE || onAnotherProcessListener(socket);
    }

    /** Queued on another process's listener: only its client, if this JVM's, has an origin; the listener has none here. */
    static boolean onAnotherProcessListener(TcpSocket socket) {
        return socket.owner() == Owner.OTHER_PROCESS && socket.inode() == 0;
    }
}

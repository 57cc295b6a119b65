package io.github.sockleak.junit.internal;

import io.github.sockleak.Owner;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.internal.ProcfsSocketSource;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This process's socket descriptors, and which of them are known to be connections. A socket the table showed in
 * a connection state (anything but LISTEN) can never listen: a process holding only such sockets holds no
 * listener, which a check can know from its descriptors alone, without reading a table.
 */
final class SocketDescriptors {

    /** Inodes of this process's sockets seen in a table in a connection state; kept only while still held. */
    private static final Set<Long> CONNECTIONS = ConcurrentHashMap.newKeySet();

    private SocketDescriptors() {
    }

    /** The inodes of this process's socket descriptors now (of every kind: the links do not say which). */
    static Set<Long> now() {
        return ProcfsSocketSource.system().ownSocketInodes();
    }

    /** Whether every one of {@code inodes} is known to be a connection, so that none is a listener. */
    static boolean holdNoListener(Set<Long> inodes) {
        CONNECTIONS.retainAll(inodes); // a socket no longer held need not be remembered
        return CONNECTIONS.containsAll(inodes);
    }

    /** Remembers the connections of this process that {@code snapshot} shows. */
    static void learn(SocketSnapshot snapshot) {
        for (TcpSocket socket : snapshot.own()) {
            if (socket.owner() == Owner.THIS_PROCESS && socket.state() != TcpState.LISTEN) {
                CONNECTIONS.add(socket.inode());
            }
        }
    }
}

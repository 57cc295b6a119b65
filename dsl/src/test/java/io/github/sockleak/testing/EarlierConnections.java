package io.github.sockleak.testing;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.TcpSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The connections of the namespace before a test opened any, so that counts by port leave them out: a listener can
 * get the port an earlier test's listener had, whose closed connections to it still wait in TIME-WAIT.
 */
public final class EarlierConnections {

    private final Set<List<InetSocketAddress>> ends;

    private EarlierConnections(Set<List<InetSocketAddress>> ends) {
        this.ends = ends;
    }

    public static EarlierConnections in(SocketSnapshot snapshot) {
        return new EarlierConnections(snapshot.all().stream()
                .map(socket -> List.of(socket.local(), socket.remote()))
                .collect(Collectors.toSet()));
    }

    /** Whether {@code socket} has the two ends of a connection that was already there: none of the test's. */
    public boolean contains(TcpSocket socket) {
        return ends.contains(List.of(socket.local(), socket.remote()));
    }
}

package io.github.sockleak.junit.internal.origins;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.internal.Addresses;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;

/**
 * A socket the garbage collector took while it was still open: the application never closed it, and nobody can
 * now. The JDK's cleaner closes its descriptor, so the kernel soon forgets it, but it was leaked all the same.
 */
public final class AbandonedSocket {

    private final Origin origin;
    /** Its addresses, when they were read before it was collected; else null. */
    private final SocketKey key;

    AbandonedSocket(Origin origin, SocketKey key) {
        this.origin = origin;
        this.key = key;
    }

    public Origin origin() {
        return origin;
    }

    /** Its addresses as a report shows them, {@code 127.0.0.1:5000 <-> 127.0.0.1:40000}; empty when never read. */
    public Optional<String> addresses() {
        if (key == null) {
            return Optional.empty();
        }
        String local = Addresses.format(new InetSocketAddress(key.localAddress(), key.localPort()));
        return Optional.of(key.remotePort() == 0 ? local
                : local + " <-> " + Addresses.format(new InetSocketAddress(key.remoteAddress(), key.remotePort())));
    }

    /** Whether one of its ports is in {@code ports}; unknown addresses involve none. */
    public boolean usesAnyOf(Set<Integer> ports) {
        return key != null && (ports.contains(key.localPort()) || ports.contains(key.remotePort()));
    }

    /** Whether {@code socket} is the kernel's row of this socket, seen before it was collected. */
    public boolean is(TcpSocket socket) {
        return key != null && key.equals(SocketKey.of(socket));
    }
}

package io.github.sockleak.junit.internal.origins;

import io.github.sockleak.TcpSocket;
import io.github.sockleak.internal.Addresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A socket's addresses the way both the JVM and the kernel can name them, so that a record made in the JVM
 * finds its row in the kernel's table. IPv4-mapped addresses are normalised to IPv4, and every wildcard address
 * ({@code 0.0.0.0} or {@code ::}) is one and the same: Java reports a dual-stack listener as {@code 0.0.0.0}
 * while the kernel shows it as {@code [::]}. A listener's peer is the wildcard with port 0.
 */
record SocketKey(InetAddress localAddress, int localPort, InetAddress remoteAddress, int remotePort) {

    private static final InetAddress WILDCARD = Addresses.of(new byte[4]);

    static SocketKey of(InetSocketAddress local, InetSocketAddress remote) {
        return new SocketKey(canonical(local.getAddress()), local.getPort(),
                remote == null ? WILDCARD : canonical(remote.getAddress()), remote == null ? 0 : remote.getPort());
    }

    static SocketKey of(TcpSocket socket) {
        return of(socket.local(), socket.remote());
    }

    static SocketKey listener(InetSocketAddress local) {
        return of(local, null);
    }

    /** The key of the listener a queued child with this key waits on, when that listener is bound to its address. */
    SocketKey listenerOnLocalAddress() {
        return new SocketKey(localAddress, localPort, WILDCARD, 0);
    }

    /** The key of a wildcard listener on this key's local port. */
    SocketKey listenerOnAnyAddress() {
        return new SocketKey(WILDCARD, localPort, WILDCARD, 0);
    }

    /** The other end of the same connection, when it is in this JVM too. */
    SocketKey reversed() {
        return new SocketKey(remoteAddress, remotePort, localAddress, localPort);
    }

    private static InetAddress canonical(InetAddress address) {
        if (address == null || address.isAnyLocalAddress()) {
            return WILDCARD;
        }
        // Rebuilt from its bytes: no host name or IPv6 scope that the kernel's rows do not have.
        return Addresses.of(Addresses.normalise(address).getAddress());
    }
}

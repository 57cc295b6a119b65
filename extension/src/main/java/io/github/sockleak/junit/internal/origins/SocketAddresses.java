package io.github.sockleak.junit.internal.origins;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Reads a recorded socket's addresses through the JDK's public API. Done when a report or a snapshot asks, not
 * inside the application's socket call: reading the local address is a system call, and most sockets close
 * before anybody asks.
 */
final class SocketAddresses {

    /** For a socket that will never have Internet addresses: a UNIX domain channel shares the classes. */
    static final SocketKey NOT_INTERNET = new SocketKey(null, -1, null, -1);

    private SocketAddresses() {
    }

    /** The socket's key; null while it has no addresses yet (a connect in progress); {@link #NOT_INTERNET} never. */
    static SocketKey keyOf(Object socket) {
        try {
            if (socket instanceof Socket) {
                Socket client = (Socket) socket;
                return connection(client.getLocalSocketAddress(), client.getRemoteSocketAddress());
            }
            if (socket instanceof ServerSocket) {
                return listener(((ServerSocket) socket).getLocalSocketAddress());
            }
            if (socket instanceof ServerSocketChannel || socket instanceof AsynchronousServerSocketChannel) {
                return listener(((NetworkChannel) socket).getLocalAddress());
            }
            if (socket instanceof SocketChannel) {
                SocketChannel channel = (SocketChannel) socket;
                return connection(channel.getLocalAddress(), channel.getRemoteAddress());
            }
            if (socket instanceof AsynchronousSocketChannel) {
                AsynchronousSocketChannel channel = (AsynchronousSocketChannel) socket;
                return connection(channel.getLocalAddress(), channel.getRemoteAddress());
            }
            return NOT_INTERNET;
        } catch (IOException e) {
            return NOT_INTERNET; // closed: the table forgets it
        }
    }

    private static SocketKey connection(SocketAddress local, SocketAddress remote) {
        if (isUnixDomain(local) || isUnixDomain(remote)) {
            return NOT_INTERNET;
        }
        if (!isInternet(local) || !isInternet(remote) || ((InetSocketAddress) local).getPort() == 0) {
            return null;
        }
        return SocketKey.of((InetSocketAddress) local, (InetSocketAddress) remote);
    }

    private static SocketKey listener(SocketAddress local) {
        if (isUnixDomain(local)) {
            return NOT_INTERNET;
        }
        return isInternet(local) ? SocketKey.listener((InetSocketAddress) local) : null;
    }

    private static boolean isInternet(SocketAddress address) {
        return address instanceof InetSocketAddress && !((InetSocketAddress) address).isUnresolved();
    }

    private static boolean isUnixDomain(SocketAddress address) {
        return address != null && !(address instanceof InetSocketAddress);
    }
}

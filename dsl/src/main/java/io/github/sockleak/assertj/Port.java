package io.github.sockleak.assertj;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A TCP port as one snapshot shows it: the sockets bound locally to it. What {@link PortAssert} checks; get one
 * with {@code assertThat(snapshot).port(8080)}.
 */
public final class Port {

    private final int number;
    private final Scope scope;
    private final List<TcpSocket> boundSockets;

    Port(SocketSnapshot snapshot, int number, Scope scope) {
        this.number = number;
        this.scope = scope;
        this.boundSockets = snapshot.all().stream()
                .filter(scope::includes)
                .filter(socket -> socket.local().getPort() == number)
                .collect(Collectors.toUnmodifiableList());
    }

    /**
     * The port number.
     *
     * @return the number
     */
    public int number() {
        return number;
    }

    /**
     * The snapshot's sockets whose local port is this one: this process's, or every process's when the snapshot
     * assertion was widened with {@code includingOtherProcesses()}.
     *
     * @return the sockets, immutable
     */
    public List<TcpSocket> boundSockets() {
        return boundSockets;
    }

    Scope scope() {
        return scope;
    }

    /**
     * Where a restarted server would listen: the address of the snapshot's listener on this port, since a
     * restart binds the same one; loopback when the snapshot has no listener there, so a check never listens on
     * an address the test did not use.
     */
    InetSocketAddress restartEndpoint() {
        InetAddress address = boundSockets.stream()
                .filter(socket -> socket.state() == TcpState.LISTEN)
                .map(socket -> socket.local().getAddress())
                .findFirst()
                .orElse(InetAddress.getLoopbackAddress());
        return new InetSocketAddress(address, number);
    }

    @Override
    public String toString() {
        return "port " + number + ", sockets " + scope + " bound to it: " + boundSockets.size();
    }
}

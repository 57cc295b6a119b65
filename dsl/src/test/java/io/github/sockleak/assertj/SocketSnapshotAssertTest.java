package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.SeedExperiment.PATIENCE;
import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static io.github.sockleak.assertj.SocketAssertions.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.SnapshotFixtures;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.testing.Loopback;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Snapshot assertions on real loopback sockets")
class SocketSnapshotAssertTest {

    private final Loopback net = new Loopback();

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("hasNoSocketsIn passes when this process has no socket in the states")
    void hasNoSocketsInPasses() {
        ServerSocket server = net.listen();
        net.connect(server.getLocalPort());
        net.accept(server);

        assertThat(Sockets.snapshot()).hasNoSocketsIn(TcpState.CLOSE_WAIT, TcpState.SYN_SENT);
    }

    @Test
    @DisplayName("hasNoSocketsIn fails with the offending sockets as ss rows")
    void hasNoSocketsInFails() {
        int port = queuedCloseWait(1);
        SocketSnapshot snapshot = Sockets.snapshot();

        assertThatThrownBy(() -> assertThat(snapshot).hasNoSocketsIn(TcpState.CLOSE_WAIT, TcpState.LAST_ACK))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting no sockets of this process in CLOSE-WAIT or LAST-ACK, but found 1:")
                .hasMessageContaining("Recv-Q")
                .hasMessageContaining("CLOSE-WAIT")
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("ACCEPT_QUEUE");
    }

    @Test
    @DisplayName("hasNoSocketsIn needs at least one state")
    void hasNoSocketsInNeedsStates() {
        SocketSnapshot snapshot = Sockets.snapshot();

        assertThatThrownBy(() -> assertThat(snapshot).hasNoSocketsIn())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
    }

    @Test
    @DisplayName("hasSocketsIn passes on the exact count of this process's sockets in a state")
    void hasSocketsInPasses() {
        queuedCloseWait(2);

        assertThat(Sockets.snapshot()).hasSocketsIn(TcpState.CLOSE_WAIT, 2);
    }

    @Test
    @DisplayName("hasSocketsIn fails with the count and the rows found")
    void hasSocketsInFails() {
        int port = queuedCloseWait(2);
        SocketSnapshot snapshot = Sockets.snapshot();

        assertThatThrownBy(() -> assertThat(snapshot).hasSocketsIn(TcpState.CLOSE_WAIT, 3))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting 3 sockets of this process in CLOSE-WAIT, but found 2:")
                .hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    @DisplayName("includingOtherProcesses widens the checks to sockets nobody holds, such as TIME-WAIT")
    void includingOtherProcesses() {
        InetSocketAddress[] ends = timeWaitOnServerSide();
        InetSocketAddress serverEnd = ends[0];
        SocketSnapshot snapshot = eventually(PATIENCE, s -> assertThat(s).includingOtherProcesses()
                .socketsIn(TcpState.TIME_WAIT).anyMatch(Loopback.fourTuple(ends[0], ends[1])));

        assertThat(snapshot).hasNoSocketsIn(TcpState.TIME_WAIT);
        assertThatThrownBy(() -> assertThat(snapshot).includingOtherProcesses().hasNoSocketsIn(TcpState.TIME_WAIT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting no sockets in this network namespace in TIME-WAIT")
                .hasMessageContaining("127.0.0.1:" + serverEnd.getPort())
                .hasMessageContaining("ORPHAN");
    }

    @Test
    @DisplayName("includingOtherProcesses fails on a snapshot of this process's sockets alone, which cannot show them")
    void includingOtherProcessesNeedsTheNamespace() {
        SocketSnapshot partial = SnapshotFixtures.processCoverage("lookups of this process's socket descriptors");

        assertThatThrownBy(() -> assertThat(partial).includingOtherProcesses())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting a snapshot of every socket in the network namespace to look at other"
                        + " processes' sockets, but this one holds this process's sockets only (coverage PROCESS:"
                        + " lookups of this process's socket descriptors).")
                .hasMessageContaining("Take one with Sockets.snapshot() for that.");
        assertThat(partial).hasNoSocketsIn(TcpState.CLOSE_WAIT);
    }

    @Test
    @DisplayName("socketsIn navigates to a list assertion over this process's sockets in the state")
    void socketsInPasses() {
        ServerSocket server = net.listen();

        assertThat(Sockets.snapshot()).socketsIn(TcpState.LISTEN)
                .extracting(socket -> socket.local().getPort())
                .contains(server.getLocalPort());
    }

    @Test
    @DisplayName("socketsIn failures name the sockets they looked at and keep the snapshot assertion's description")
    void socketsInFails() {
        ServerSocket server = net.listen();
        SocketSnapshot snapshot = Sockets.snapshot();

        assertThatThrownBy(() -> assertThat(snapshot).socketsIn(TcpState.LISTEN).isEmpty())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[sockets of this process in LISTEN]")
                .hasMessageContaining("127.0.0.1:" + server.getLocalPort());
        assertThatThrownBy(() -> assertThat(snapshot).as("after shutdown").socketsIn(TcpState.LISTEN).isEmpty())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[after shutdown: sockets of this process in LISTEN]");
    }

    @Test
    @DisplayName("listener navigates to this process's listener on the port")
    void listenerPasses() {
        ServerSocket server = net.listen();

        assertThat(Sockets.snapshot()).listener(server.getLocalPort()).hasAcceptQueueDepth(0).hasNoQueuedConnections();
    }

    @Test
    @DisplayName("listener fails when this process has no listener on the port, naming the ports it listens on")
    void listenerFails() {
        ServerSocket server = net.listen();
        ServerSocket closed = net.listen();
        int closedPort = closed.getLocalPort();
        Loopback.close(closed);
        SocketSnapshot snapshot = Sockets.snapshot();

        assertThatThrownBy(() -> assertThat(snapshot).listener(closedPort))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting a listener of this process on port " + closedPort + ", but there is none.")
                .hasMessageContaining("This process listens on: ")
                .hasMessageContaining("127.0.0.1:" + server.getLocalPort());
    }

    @Test
    @DisplayName("listener failures carry the snapshot assertion's description")
    void listenerKeepsDescription() {
        ServerSocket server = net.listen();
        SocketSnapshot snapshot = Sockets.snapshot();

        assertThatThrownBy(() -> assertThat(snapshot).as("server up").listener(server.getLocalPort()).hasAcceptQueueDepth(4))
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("[server up]")
                .hasMessageContaining("to have accept-queue depth 4, but it is 0");
    }

    @Test
    @DisplayName("port navigates to the sockets bound to a port")
    void portPasses() {
        ServerSocket server = net.listen();

        assertThat(Sockets.snapshot()).port(server.getLocalPort()).isNotFree();
    }

    @Test
    @DisplayName("navigation from a null snapshot fails as any AssertJ assertion on null does")
    void navigationFromNull() {
        assertThatThrownBy(() -> assertThat((SocketSnapshot) null).port(8080))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting actual not to be null");
    }

    /** Connects {@code count} clients to a listener that never accepts and closes them: queued CLOSE-WAIT children. */
    private int queuedCloseWait(int count) {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        for (int i = 0; i < count; i++) {
            Loopback.close(net.connect(port));
        }
        eventually(PATIENCE, snapshot -> assertThat(snapshot).socketsIn(TcpState.CLOSE_WAIT)
                .filteredOn(socket -> socket.local().equals(server.getLocalSocketAddress()))
                .hasSize(count));
        return port;
    }

    /**
     * The server closes first and the client follows: the server's end lingers in TIME-WAIT, held by nobody.
     * Returns the server end's local and remote ends: the TIME-WAIT's 4-tuple.
     */
    private InetSocketAddress[] timeWaitOnServerSide() {
        ServerSocket server = net.listen();
        Socket client = net.connect(server.getLocalPort());
        Socket accepted = net.accept(server);
        InetSocketAddress[] serverEnds = {Loopback.localEnd(accepted), Loopback.remoteEnd(accepted)};
        Predicate<TcpSocket> clientEnd = Loopback.endOf(client);
        Loopback.close(accepted);
        eventually(PATIENCE, snapshot -> assertThat(snapshot).socketsIn(TcpState.CLOSE_WAIT).anyMatch(clientEnd));
        Loopback.close(client);
        return serverEnds;
    }
}

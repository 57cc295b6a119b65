package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.SeedExperiment.PATIENCE;
import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static io.github.sockleak.assertj.SocketAssertions.eventually;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.testing.ForeignSockets;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Port assertions against what the kernel really does when a server listens again on its port: these cases
 * are the evidence for the rules written in {@link AbstractPortAssert}.
 */
@DisplayName("Port assertions against real restarts on loopback")
class PortAssertTest {

    private final Loopback net = new Loopback();

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("an open listener: the port is not free and not bindable, SO_REUSEADDR or not")
    void openListener() {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        SocketSnapshot snapshot = Sockets.snapshot();

        assertThat(snapshot).port(port).isNotFree().isNotBindable();
        assertThatThrownBy(() -> assertThat(snapshot).port(port).isFree())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting port " + port + " to be free, but 1 socket of this process is still bound to it:")
                .hasMessageContaining("LISTEN")
                .hasMessageContaining("A LISTEN socket blocks every new listener on its port, SO_REUSEADDR or not.");
        assertThatThrownBy(() -> assertThat(snapshot).port(port).isBindable())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting a listener with SO_REUSEADDR to bind 127.0.0.1:" + port
                        + " now, as a restarted server would, but the bind failed: Address already in use")
                .hasMessageContaining("The snapshot showed these sockets of this process bound to port " + port);
    }

    @Test
    @DisplayName("everything closed: the port is free and bindable")
    void everythingClosed() {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        net.connect(port);
        net.accept(server);
        net.close();
        SocketSnapshot snapshot = Sockets.snapshot();

        assertThat(snapshot).port(port).isFree().isBindable();
        assertThatThrownBy(() -> assertThat(snapshot).port(port).isNotFree())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting port " + port + " to be held by a socket of this process, but none is bound to it.");
        assertThatThrownBy(() -> assertThat(snapshot).port(port).isNotBindable())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting a listener with SO_REUSEADDR not to be able to bind 127.0.0.1:" + port
                        + ", but it bound it.");
    }

    @Test
    @DisplayName("a leaked CLOSE-WAIT connection of a JDK listener: not free, yet bindable with SO_REUSEADDR")
    void leakedConnectionOfReusingListener() {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        Socket client = net.connect(port);
        net.accept(server);
        Predicate<TcpSocket> serverEnd = Loopback.peerOf(client);
        Loopback.close(server);
        Loopback.close(client);
        SocketSnapshot snapshot = eventually(PATIENCE, s -> assertThat(s).socketsIn(TcpState.CLOSE_WAIT)
                .anyMatch(serverEnd));

        assertThat(snapshot).port(port).isBindable();
        assertThatThrownBy(() -> assertThat(snapshot).port(port).isFree())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 socket of this process is still bound to it:")
                .hasMessageContaining("CLOSE-WAIT")
                .hasMessageContaining("Any other socket bound to the port blocks a new listener unless both set SO_REUSEADDR")
                .hasMessageNotContaining("A LISTEN socket blocks");
    }

    @Test
    @DisplayName("a leaked connection of a listener without SO_REUSEADDR: a restart cannot bind")
    void leakedConnectionOfListenerWithoutReuse() throws IOException {
        int port;
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(false);
            server.bind(new InetSocketAddress(Loopback.IPV4, 0));
            port = server.getLocalPort();
            net.connect(port);
            net.accept(server);
        }
        SocketSnapshot snapshot = Sockets.snapshot();

        assertThat(snapshot).port(port).isNotBindable();
        assertThatThrownBy(() -> assertThat(snapshot).port(port).isBindable())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but the bind failed: Address already in use")
                .hasMessageContaining("ESTAB");
    }

    @Test
    @DisplayName("a server-side TIME-WAIT belongs to no process: free for this process, held in the namespace, bindable")
    void timeWaitAfterServerClosedFirst() {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        Socket client = net.connect(port);
        Socket accepted = net.accept(server);
        // The server end's own TIME-WAIT, by its whole 4-tuple: another process's TIME-WAIT on the same port number
        // (another address, or a connection older than the listener) is not the one this test made.
        Predicate<TcpSocket> serverEnd = Loopback.endOf(accepted);
        Loopback.close(server);
        Loopback.close(accepted);
        Loopback.close(client);
        SocketSnapshot snapshot = eventually(PATIENCE, s -> assertThat(s).includingOtherProcesses()
                .socketsIn(TcpState.TIME_WAIT).anyMatch(serverEnd));

        assertThat(snapshot).port(port).isFree().isBindable();
        assertThatThrownBy(() -> assertThat(snapshot).includingOtherProcesses().port(port).isFree())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 socket in this network namespace is still bound to it:")
                .hasMessageContaining("TIME-WAIT");
    }

    @Test
    @DisplayName("another process's listener: nothing of this process on the port, yet not bindable; the failure shows it")
    void anotherProcessHoldsThePort() {
        try (ForeignSockets other = ForeignSockets.start(0, 0)) {
            int port = other.port();
            SocketSnapshot snapshot = Sockets.snapshot();

            assertThat(snapshot).port(port).isFree().isNotBindable();
            assertThatThrownBy(() -> assertThat(snapshot).port(port).isBindable())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("but the bind failed: Address already in use")
                    .hasMessageContaining("The snapshot showed these sockets of this process bound to port " + port
                            + ":" + System.lineSeparator() + "(no socket)")
                    .hasMessageContaining("Right after the failed bind, every process's sockets bound to port " + port + ":")
                    .hasMessageMatching("(?s).*Right after the failed bind.*LISTEN .*127\\.0\\.0\\.1:" + port + " .*OTHER_PROCESS.*");
        }
    }
}

package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.Owner;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.testing.Loopback;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Socket assertions on the client end of a real loopback connection")
class TcpSocketAssertTest {

    private final Loopback net = new Loopback();
    private int serverPort;
    private int clientPort;
    private TcpSocket clientEnd;

    @BeforeEach
    void connect() {
        ServerSocket server = net.listen();
        serverPort = server.getLocalPort();
        Socket client = net.connect(serverPort);
        net.accept(server);
        clientPort = client.getLocalPort();
        // The whole 4-tuple: a port alone can be another process's too (its client's ephemeral port, to another
        // destination).
        clientEnd = Sockets.snapshot().own().stream()
                .filter(Loopback.endOf(client))
                .findFirst()
                .orElseThrow();
    }

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("hasState passes on the socket's state")
    void hasStatePasses() {
        assertThat(clientEnd).hasState(TcpState.ESTABLISHED);
    }

    @Test
    @DisplayName("hasState fails showing the socket as an ss row")
    void hasStateFails() {
        assertThatThrownBy(() -> assertThat(clientEnd).hasState(TcpState.CLOSE_WAIT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the socket to be in CLOSE-WAIT, but it is in ESTAB:")
                .hasMessageContaining("127.0.0.1:" + clientPort);
    }

    @Test
    @DisplayName("hasOwner passes on who holds the socket")
    void hasOwnerPasses() {
        assertThat(clientEnd).hasOwner(Owner.THIS_PROCESS);
    }

    @Test
    @DisplayName("hasOwner fails with the actual owner")
    void hasOwnerFails() {
        assertThatThrownBy(() -> assertThat(clientEnd).hasOwner(Owner.ORPHAN))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the socket's owner to be ORPHAN, but it is THIS_PROCESS:");
    }

    @Test
    @DisplayName("isOwn passes on a socket on this process's descriptor")
    void isOwnPasses() {
        assertThat(clientEnd).isOwn();
    }

    @Test
    @DisplayName("isOwn fails on a socket this process closed and the kernel still finishes")
    void isOwnFails() {
        Socket closing = net.connect(serverPort);
        // By the whole 4-tuple: another process's socket can have the same local port (to another destination),
        // and then a port alone picked whichever came first in the table.
        Predicate<TcpSocket> closingEnd = Loopback.endOf(closing);
        Loopback.close(closing);
        TcpSocket orphan = Sockets.snapshot().all().stream()
                .filter(closingEnd)
                .findFirst()
                .orElseThrow();

        assertThatThrownBy(() -> assertThat(orphan).isOwn())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the socket's owner to be THIS_PROCESS or ACCEPT_QUEUE (this process's), but it is ORPHAN:");
    }

    @Test
    @DisplayName("hasLocalPort and hasRemotePort pass on the socket's ports")
    void portsPass() {
        assertThat(clientEnd).hasLocalPort(clientPort).hasRemotePort(serverPort);
    }

    @Test
    @DisplayName("hasLocalPort fails with the actual local port")
    void hasLocalPortFails() {
        assertThatThrownBy(() -> assertThat(clientEnd).hasLocalPort(serverPort))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the socket's local port to be " + serverPort + ", but it is " + clientPort);
    }

    @Test
    @DisplayName("hasRemotePort fails with the actual remote port")
    void hasRemotePortFails() {
        assertThatThrownBy(() -> assertThat(clientEnd).hasRemotePort(clientPort))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the socket's remote port to be " + clientPort + ", but it is " + serverPort);
    }
}

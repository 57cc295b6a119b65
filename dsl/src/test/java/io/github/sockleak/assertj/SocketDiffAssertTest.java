package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.SeedExperiment.PATIENCE;
import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static io.github.sockleak.assertj.SocketAssertions.eventually;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.SnapshotFixtures;
import io.github.sockleak.SocketDiff;
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

@DisplayName("Diff assertions between two snapshots of real loopback sockets")
class SocketDiffAssertTest {

    private final Loopback net = new Loopback();

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("hasNoNewSocketsIn passes when the connections opened are in other states")
    void hasNoNewSocketsInPasses() {
        ServerSocket server = net.listen();
        SocketSnapshot before = Sockets.snapshot();
        net.connect(server.getLocalPort());
        net.accept(server);

        assertThat(Sockets.snapshot().since(before)).hasNoNewSocketsIn(TcpState.CLOSE_WAIT);
    }

    @Test
    @DisplayName("hasNoNewSocketsIn fails with the new sockets as ss rows")
    void hasNoNewSocketsInFails() {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        SocketSnapshot before = Sockets.snapshot();
        Socket client = net.connect(port);
        Predicate<TcpSocket> queuedChild = Loopback.peerOf(client);
        Loopback.close(client);
        SocketDiff diff = eventually(PATIENCE, s -> assertThat(s).socketsIn(TcpState.CLOSE_WAIT)
                .anyMatch(queuedChild)).since(before);

        assertThatThrownBy(() -> assertThat(diff).hasNoNewSocketsIn(TcpState.CLOSE_WAIT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting no new sockets of this process in CLOSE-WAIT between the snapshots, but 1 appeared:")
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("ACCEPT_QUEUE");
    }

    @Test
    @DisplayName("hasOpened passes on the number of this process's sockets that appeared")
    void hasOpenedPasses() {
        SocketSnapshot before = Sockets.snapshot();
        net.listen();

        assertThat(Sockets.snapshot().since(before)).hasOpened(1);
    }

    @Test
    @DisplayName("hasOpened fails with the sockets that appeared")
    void hasOpenedFails() {
        SocketSnapshot before = Sockets.snapshot();
        ServerSocket server = net.listen();
        SocketDiff diff = Sockets.snapshot().since(before);

        assertThatThrownBy(() -> assertThat(diff).hasOpened(2))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting 2 sockets of this process to be opened between the snapshots, but the kernel shows 1:")
                .hasMessageContaining("LISTEN")
                .hasMessageContaining("127.0.0.1:" + server.getLocalPort());
    }

    @Test
    @DisplayName("hasPortReuse passes on the seed experiment")
    void hasPortReusePasses() {
        SeedExperiment seed = SeedExperiment.run(net);

        assertThat(seed.after().since(seed.before())).hasPortReuse();
    }

    @Test
    @DisplayName("hasPortReuse fails when no 4-tuple got a new socket, explaining what reuse is")
    void hasPortReuseFails() {
        SocketSnapshot before = Sockets.snapshot();
        ServerSocket server = net.listen();
        net.connect(server.getLocalPort());
        SocketDiff diff = Sockets.snapshot().since(before);

        assertThatThrownBy(() -> assertThat(diff).hasPortReuse())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting a port of a socket of this process to be reused between the snapshots, but none was.")
                .hasMessageContaining("as when a client binds the port of a connection that still waits in CLOSE-WAIT");
    }

    @Test
    @DisplayName("hasNoPortReuse passes when connections only open and close")
    void hasNoPortReusePasses() {
        ServerSocket server = net.listen();
        SocketSnapshot before = Sockets.snapshot();
        Loopback.close(net.connect(server.getLocalPort()));
        net.connect(server.getLocalPort());

        assertThat(Sockets.snapshot().since(before)).hasNoPortReuse();
    }

    @Test
    @DisplayName("hasNoPortReuse fails on the seed experiment, showing the reused 4-tuple before and after")
    void hasNoPortReuseFails() {
        SeedExperiment seed = SeedExperiment.run(net);
        SocketDiff diff = seed.after().since(seed.before());

        assertThatThrownBy(() -> assertThat(diff).hasNoPortReuse())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting no port of a socket of this process to be reused between the snapshots, but")
                .hasMessageContaining("Before     -> State")
                .hasMessageContaining("CLOSE-WAIT -> ESTAB")
                .hasMessageContaining("127.0.0.1:" + seed.reusedPort());
    }

    @Test
    @DisplayName("includingOtherProcesses widens the diff to sockets nobody holds, such as TIME-WAIT")
    void includingOtherProcesses() {
        SocketSnapshot before = Sockets.snapshot();
        ServerSocket server = net.listen();
        Socket client = net.connect(server.getLocalPort());
        Socket accepted = net.accept(server);
        InetSocketAddress serverEnd = Loopback.localEnd(accepted);
        Predicate<TcpSocket> acceptedEnd = Loopback.endOf(accepted);
        Loopback.close(accepted);
        Loopback.close(client);
        SocketSnapshot after = eventually(PATIENCE, s -> assertThat(s).includingOtherProcesses()
                .socketsIn(TcpState.TIME_WAIT).anyMatch(acceptedEnd));
        SocketDiff diff = after.since(before);

        assertThat(diff).hasNoNewSocketsIn(TcpState.TIME_WAIT);
        assertThatThrownBy(() -> assertThat(diff).includingOtherProcesses().hasNoNewSocketsIn(TcpState.TIME_WAIT))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting no new sockets in this network namespace in TIME-WAIT")
                .hasMessageContaining("127.0.0.1:" + serverEnd.getPort());
    }

    @Test
    @DisplayName("includingOtherProcesses fails when either snapshot holds this process's sockets alone")
    void includingOtherProcessesNeedsTheNamespace() {
        SocketSnapshot partial = SnapshotFixtures.processCoverage("lookups");
        SocketSnapshot full = Sockets.snapshot();

        assertThatThrownBy(() -> assertThat(full.since(partial)).includingOtherProcesses())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("but this one holds this process's sockets only (coverage PROCESS: lookups)");
        assertThatThrownBy(() -> assertThat(partial.since(full)).includingOtherProcesses())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("coverage PROCESS");
        assertThat(full.since(Sockets.snapshot())).includingOtherProcesses();
    }
}

package io.github.sockleak.examples;

import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static io.github.sockleak.assertj.SocketAssertions.eventually;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.testing.Loopback;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The investigation sockleak grew out of, step by step: a listener whose Recv-Q is higher than the connections
 * anyone can see, because a connection reset while waiting in the accept queue still counts until accept().
 */
@DisplayName("The seed experiment: Recv-Q above the visible connections")
class SeedExperimentExample {

    private static final Duration KERNEL_PATIENCE = Duration.ofSeconds(5);

    private final Loopback net = new Loopback();

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    @DisplayName("clients reusing a CLOSE-WAIT child's port leave a ghost in the accept queue")
    void ghostInTheAcceptQueue() {
        // Step 0: a server listens and never calls accept() (the original: `nc -l 12345`, suspended with ^Z).
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        show("step 0: a listener that never accepts", Sockets.snapshot(), port);

        // Step 1: two clients connect and close. The kernel completed both connections; they wait in the accept
        // queue, and each client's FIN turns its child into CLOSE-WAIT, with no file descriptor and no owner.
        Socket first = net.connectFrom(0, port);
        int reusedPort = first.getLocalPort();
        Loopback.close(first);
        Loopback.close(net.connectFrom(0, port));
        InetSocketAddress serverEnd = (InetSocketAddress) server.getLocalSocketAddress();
        SocketSnapshot before = eventually(KERNEL_PATIENCE, s -> assertThat(s).socketsIn(TcpState.CLOSE_WAIT)
                .filteredOn(t -> t.local().equals(serverEnd)).hasSize(2));
        show("step 1: two clients closed; their children wait in CLOSE-WAIT", before, port);
        assertThat(before).listener(port).hasAcceptQueueDepth(2).hasQueued(2).hasNoGhosts();

        // Step 2: a third client binds the first one's port (SO_REUSEADDR) and connects. Its SYN meets the
        // CLOSE-WAIT child, which answers with a challenge ACK; the client resets it and retries; a new child is
        // created. The reset child is gone from every table, but still counted in the accept queue.
        net.connectFrom(reusedPort, port);
        InetSocketAddress reusedEnd = new InetSocketAddress(serverEnd.getAddress(), reusedPort);
        SocketSnapshot after = eventually(KERNEL_PATIENCE, s -> assertThat(s).socketsIn(TcpState.ESTABLISHED)
                .anyMatch(Loopback.fourTuple(serverEnd, reusedEnd)));
        show("step 2: a client reused port " + reusedPort, after, port);

        // Step 3: Recv-Q says 3, two children are visible: one ghost. The diff names the reused 4-tuple.
        assertThat(after).listener(port).hasAcceptQueueDepth(3).hasQueued(2).hasGhosts(1);
        assertThat(after.since(before)).hasPortReuse();
        System.out.println("step 3: Recv-Q 3, 2 visible children, 1 ghost. What hasNoGhosts() says about it:");
        assertThatThrownBy(() -> assertThat(after).listener(port).hasNoGhosts())
                .satisfies(failure -> System.out.println(failure.getMessage() + System.lineSeparator()));
    }

    /** The sockets with an end on the listener's address: by port alone, other processes' sockets could show. */
    private static void show(String step, SocketSnapshot snapshot, int port) {
        InetSocketAddress listener = new InetSocketAddress(Loopback.IPV4, port);
        System.out.println("== " + step + " ==");
        System.out.println(TcpSocket.table(snapshot.all().stream()
                .filter(t -> t.local().equals(listener) || t.remote().equals(listener))
                .collect(Collectors.toList())));
        System.out.println();
    }
}

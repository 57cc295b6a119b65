package io.github.sockleak.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.Listener;
import io.github.sockleak.Owner;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.internal.SsTable;
import io.github.sockleak.testing.Loopback;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
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

    private final Loopback net = new Loopback();

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    @DisplayName("a client reusing a CLOSE-WAIT child's port leaves a ghost in the accept queue")
    void ghostInTheAcceptQueue() {
        // Step 0: a server listens and never calls accept() (the original: `nc -l 12345`, suspended with ^Z).
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        show("step 0: a listener that never accepts", Sockets.snapshot(), port);

        // Step 1: a client connects and closes. The kernel completed the connection; it waits in the accept
        // queue, and the client's FIN turns it into CLOSE-WAIT, with no file descriptor and no owner.
        Socket first = net.connectFrom(0, port);
        int reusedPort = first.getLocalPort();
        Loopback.close(first);
        SocketSnapshot afterFirst = Loopback.awaitSnapshot("the child in CLOSE-WAIT",
                s -> s.listener(port).map(l -> l.queued().size() == 1 && l.queued().get(0).state() == TcpState.CLOSE_WAIT).orElse(false));
        show("step 1: the client closed; its child waits in CLOSE-WAIT", afterFirst, port);
        Listener listener = afterFirst.listener(port).orElseThrow();
        assertThat(listener.acceptQueueDepth()).isEqualTo(1);
        assertThat(listener.queued()).singleElement().satisfies(child -> {
            assertThat(child.owner()).isEqualTo(Owner.ACCEPT_QUEUE);
            assertThat(child.inode()).as("nobody accepted it: no file descriptor").isZero();
        });

        // Step 2: a new client binds the same source port (SO_REUSEADDR) and connects. Its SYN meets the
        // CLOSE-WAIT child, which answers with a challenge ACK; the client resets it and retries; a new child
        // is created. The reset child is gone from every table, but still counted in the accept queue.
        net.connectFrom(reusedPort, port);
        SocketSnapshot afterReuse = Loopback.awaitSnapshot("the new child ESTABLISHED",
                s -> s.listener(port).map(l -> l.queued().stream().anyMatch(t -> t.state() == TcpState.ESTABLISHED)).orElse(false));
        show("step 2: a client reused port " + reusedPort, afterReuse, port);

        // Step 3: Recv-Q says 2, one child is visible: one ghost.
        Listener reused = afterReuse.listener(port).orElseThrow();
        assertThat(reused.acceptQueueDepth()).isEqualTo(2);
        assertThat(reused.queued()).hasSize(1);
        assertThat(reused.ghosts()).isEqualTo(1);
        // Both ends of that 4-tuple are new sockets: the server's child and the client's socket.
        assertThat(afterReuse.since(afterFirst).reused())
                .anySatisfy(reuse -> {
                    assertThat(reuse.local().getPort()).isEqualTo(port);
                    assertThat(reuse.remote().getPort()).isEqualTo(reusedPort);
                    assertThat(reuse.before().state()).isEqualTo(TcpState.CLOSE_WAIT);
                });
        System.out.printf("step 3: Recv-Q %d, %d visible child: %d ghost%n%n",
                reused.acceptQueueDepth(), reused.queued().size(), reused.ghosts());
    }

    private static void show(String step, SocketSnapshot snapshot, int port) {
        List<TcpSocket> rows = snapshot.all().stream()
                .filter(t -> t.local().getPort() == port || t.remote().getPort() == port)
                .collect(Collectors.toList());
        System.out.println("== " + step + " ==");
        System.out.println(SsTable.of(rows));
        System.out.println();
    }
}

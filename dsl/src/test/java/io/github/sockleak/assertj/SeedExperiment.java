package io.github.sockleak.assertj;

import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static io.github.sockleak.assertj.SocketAssertions.eventually;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.TcpState;
import io.github.sockleak.testing.Loopback;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * The seed experiment (KERNEL.md) on real loopback sockets, run with the DSL itself: a listener that never
 * accepts; two clients bound with SO_REUSEADDR connect and close; a third binds the first one's port and
 * connects, which resets the first queued child and leaves a ghost in the accept queue.
 *
 * @param before the snapshot with the two queued children in CLOSE-WAIT
 * @param after  the snapshot with the reused port's new child queued and the ghost counted
 */
record SeedExperiment(int port, int reusedPort, SocketSnapshot before, SocketSnapshot after) {

    static final Duration PATIENCE = Duration.ofSeconds(10);

    static SeedExperiment run(Loopback net) {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        int firstPort = net.queueTwoClosedClients(port);
        // The clients' FINs must have arrived: a child still ESTABLISHED could not be told from its successor.
        SocketSnapshot before = eventually(PATIENCE, snapshot -> assertThat(snapshot).socketsIn(TcpState.CLOSE_WAIT)
                .filteredOn(socket -> socket.local().equals(server.getLocalSocketAddress()))
                .hasSize(2));

        net.connectFrom(firstPort, port);

        SocketSnapshot after = eventually(PATIENCE, snapshot -> assertThat(snapshot).listener(port)
                .hasAcceptQueueDepth(3)
                .hasQueued(2));
        return new SeedExperiment(port, firstPort, before, after);
    }
}

package io.github.sockleak.examples;

import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static io.github.sockleak.assertj.SocketAssertions.eventually;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.TcpState;
import io.github.sockleak.testing.ExternalListener;
import io.github.sockleak.testing.Loopback;
import io.github.sockleak.testing.WatchProcess;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The seed as it happened: the server is another process, {@code nc -l}, suspended with ^Z (SIGSTOP), and someone
 * watches it with a loop. Here the loop is sockleak's {@code watch} command, run from the built jar
 * ({@code java -jar sockleak-dsl.jar --port PORT}), and the questions are asked with the DSL through
 * {@code includingOtherProcesses()}.
 */
@DisplayName("The seed against nc -l stopped with ^Z, watched live")
class SeedWithNcExample {

    private static final Duration KERNEL_PATIENCE = Duration.ofSeconds(5);

    private final Loopback net = new Loopback();

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    @DisplayName("another process's listener: depth 2 while one connection is visible, one ghost, the port reused")
    void ghostInAnotherProcessesQueue() {
        // nc -l 127.0.0.1 PORT, and in a second terminal: java -jar sockleak-dsl.jar --port PORT
        try (ExternalListener nc = ExternalListener.start();
             WatchProcess watch = WatchProcess.fromJar("--port", Integer.toString(nc.port()), "--interval", "20ms")) {
            int port = nc.port();
            InetSocketAddress server = nc.address();
            watch.awaitLine("nc's listener", line -> line.contains("listener 127.0.0.1:" + port));
            nc.stop(); // ^Z

            // A client connects and closes: its connection waits in nc's accept queue, in CLOSE-WAIT.
            Socket first = net.connectFrom(0, port);
            InetSocketAddress client = Loopback.localEnd(first);
            Loopback.close(first);
            SocketSnapshot before = eventually(KERNEL_PATIENCE, s -> assertThat(s).includingOtherProcesses()
                    .socketsIn(TcpState.CLOSE_WAIT).anyMatch(Loopback.fourTuple(server, client)));
            assertThat(before).includingOtherProcesses().listener(port).hasAcceptQueueDepth(1).hasQueued(1).hasNoGhosts();

            // A new client binds the same port and connects: the CLOSE-WAIT connection is reset, a new one takes
            // its place, and the reset one stays counted in nc's queue until nc accepts: a ghost.
            net.connectFrom(client.getPort(), port);
            SocketSnapshot after = eventually(KERNEL_PATIENCE, s -> assertThat(s).includingOtherProcesses()
                    .socketsIn(TcpState.ESTABLISHED).anyMatch(Loopback.fourTuple(server, client)));
            assertThat(after).includingOtherProcesses().listener(port).hasAcceptQueueDepth(2).hasQueued(1).hasGhosts(1);
            assertThat(after.since(before)).includingOtherProcesses().hasPortReuse();
            System.out.println(after.allListeners().stream().filter(l -> l.local().equals(server)).findFirst().orElseThrow());

            watch.awaitLine("the ghost", line -> line.contains("ghosts 1") && line.contains("a ghost appeared"));
            watch.awaitLine("depth 2", line -> line.contains("depth 2, visible 1, ghosts 1"));
            watch.interrupt(); // Ctrl-C
            System.out.println("== " + String.join(" ", "watch --port", Integer.toString(port)) + ", while "
                    + nc.command() + " was stopped ==");
            watch.lines().forEach(System.out::println);
            System.out.println();
        }
    }
}

package io.github.sockleak;

import static io.github.sockleak.assertj.SocketAssertions.assertThat;
import static io.github.sockleak.assertj.SocketAssertions.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.SsComparisonTest.Row;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.testing.ExternalListener;
import io.github.sockleak.testing.Loopback;
import io.github.sockleak.testing.SsCommand;
import io.github.sockleak.testing.WatchProcess;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The seed itself: {@code nc -l 127.0.0.1 PORT}, another process, stopped with SIGSTOP; this JVM is the client. A
 * client connects and closes (its child waits in nc's queue, CLOSE-WAIT); a client binds the same port and connects
 * again (the CLOSE-WAIT child is reset and becomes a ghost). Asserted with the DSL through
 * {@code includingOtherProcesses().listener(port)}, the numbers compared with {@code ss -tan} at the same moment,
 * and watched by the {@code watch} command run in a JVM of its own.
 */
@DisplayName("The seed with a real nc -l stopped with SIGSTOP, seen through includingOtherProcesses() and watch")
class OtherProcessSeedTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Loopback net = new Loopback();

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("depth 1 then 2 with one child visible, one ghost, the reuse in the diff, each equal to ss -tan")
    void seedAgainstAnotherProcess() {
        Path ss = SsCommand.find().orElse(null);
        assumeTrue(ss != null, "ss (iproute2) is not installed: there is nothing to compare the numbers with");
        try (ExternalListener nc = ExternalListener.start();
             WatchProcess watch = WatchProcess.fromClassPath("--port", Integer.toString(nc.port()), "--interval", "20ms")) {
            int port = nc.port();
            InetSocketAddress serverEnd = nc.address();
            String listenerLine = "listener " + "127.0.0.1:" + port + " (another process's): ";
            watch.awaitLine("nc's listener with an empty queue", line -> line.contains(listenerLine + "depth 0, visible 0, ghosts 0"));
            nc.stop();

            // The seed's first half: a client connects and closes; nc, stopped, accepts nothing.
            Socket first = net.connectFrom(0, port);
            InetSocketAddress clientEnd = Loopback.localEnd(first);
            Loopback.close(first);
            SocketSnapshot before = eventually(PATIENCE, s -> assertThat(s).includingOtherProcesses()
                    .socketsIn(TcpState.CLOSE_WAIT).anyMatch(Loopback.fourTuple(serverEnd, clientEnd)));
            assertThat(before).includingOtherProcesses().listener(port)
                    .hasAcceptQueueDepth(1).hasQueued(1).hasNoGhosts();
            Listener queuedOnNc = before.allListeners().stream().filter(l -> l.local().equals(serverEnd)).findFirst().orElseThrow();
            assertThat(queuedOnNc.socket().owner()).isEqualTo(Owner.OTHER_PROCESS);
            assertThat(queuedOnNc.queued()).extracting(TcpSocket::owner).containsExactly(Owner.OTHER_PROCESS);
            assertSameAsSs(ss, port, "after the first client closed");
            // The watch must see this step before the next one ends it: it samples on its own, every 20 ms, and on
            // /proc one read of the table can miss a child inserted where the walk had already passed.
            watch.awaitLine("the queued child in CLOSE-WAIT", line -> line.matches(
                    ".* [+~] CLOSE-WAIT +1 +0 127\\.0\\.0\\.1:" + port + " +127\\.0\\.0\\.1:" + clientEnd.getPort() + " .*"));

            // The second half: a client binds the closed client's port and connects. Its SYN meets the CLOSE-WAIT
            // child, which is reset; a new child takes the 4-tuple, and the reset one stays counted: a ghost.
            net.connectFrom(clientEnd.getPort(), port);
            SocketSnapshot after = eventually(PATIENCE, s -> assertThat(s).includingOtherProcesses()
                    .socketsIn(TcpState.ESTABLISHED).anyMatch(Loopback.fourTuple(serverEnd, clientEnd)));
            assertThat(after).includingOtherProcesses().listener(port)
                    .hasAcceptQueueDepth(2).hasQueued(1).hasGhosts(1);
            if (after.source() == SnapshotSource.NETLINK) {
                assertThat(after).includingOtherProcesses().listener(port).hasBacklog(backlogOf(nc));
            }
            assertThat(after.since(before)).includingOtherProcesses().hasPortReuse();
            assertThat(after.since(before).reused()).as("the child's 4-tuple got a new socket")
                    .anyMatch(reuse -> reuse.local().equals(serverEnd) && reuse.remote().equals(clientEnd)
                            && reuse.before().state() == TcpState.CLOSE_WAIT && reuse.after().state() == TcpState.ESTABLISHED);
            assertSameAsSs(ss, port, "after the port was reused");

            // The watch saw the second step too, and says the ghost appeared: when the reset child left the table, or,
            // if the new child came within the same look, when it replaced it on its 4-tuple.
            String childRow = "ESTAB +0 +0 127\\.0\\.0\\.1:" + port + " +127\\.0\\.0\\.1:" + clientEnd.getPort() + " .*";
            watch.awaitLine("the ghost appearing", line -> line.contains(listenerLine) && line.contains("ghosts 1")
                    && line.endsWith("<- a ghost appeared: counted in the queue, in no table"));
            watch.awaitLine("the new child on the reused port", line -> line.matches(".* ! " + childRow + "\\(replaces CLOSE-WAIT ino:0\\)")
                    || line.matches(".* \\+ " + childRow));
            watch.awaitLine("depth 2 with one child visible", line -> line.contains(listenerLine + "depth 2, visible 1, ghosts 1"));
            assertThat(watch.interrupt()).as("Ctrl-C's exit code; the watch printed:%n%s", String.join("\n", watch.lines()))
                    .isEqualTo(130);
            List<String> printed = watch.lines();
            assertThat(printed.get(printed.size() - 1)).isEqualTo("# stopped");
            System.out.println("== " + watch.command() + " over the seed against " + nc.command() + " ==");
            printed.forEach(System.out::println);
        }
    }

    /** The backlog ss shows for the listener (nc's listen(1), or its stand-in's). */
    private static int backlogOf(ExternalListener nc) {
        Row listener = SsCommand.tanHe(SsCommand.find().orElseThrow(), "sport = :" + nc.port()).stream().map(Row::parseSs)
                .filter(row -> row.state.equals("LISTEN") && row.local.equals("127.0.0.1:" + nc.port()))
                .findFirst().orElseThrow();
        return Integer.parseInt(listener.sendQ);
    }

    /**
     * Snapshot, {@code ss -tan}, snapshot, until the two snapshots agree (nothing moved meanwhile): then the snapshot's
     * rows with an end on {@code 127.0.0.1:port} must be ss's, field for field; a listener's backlog is {@code ?}
     * where the snapshot's source cannot see it.
     */
    private static void assertSameAsSs(Path ss, int port, String when) {
        Set<String> ends = Set.of("127.0.0.1:" + port);
        Polling.Result<List<List<Row>>> moment = Polling.until(() -> {
            SocketSnapshot first = Sockets.snapshot();
            List<Row> fromSs = SsCommand.tanHe(ss, "( sport = :" + port + " or dport = :" + port + " )").stream()
                    .map(Row::parseSs).filter(row -> row.hasEndIn(ends)).collect(Collectors.toList());
            List<Row> expected = first.source() == SnapshotSource.NETLINK ? fromSs : SsComparisonTest.unknownBacklogs(fromSs);
            return List.of(rows(first, ends), expected, rows(Sockets.snapshot(), ends));
        }, rows -> SsComparisonTest.table(rows.get(0)).equals(SsComparisonTest.table(rows.get(2))), PATIENCE);
        assertThat(moment.satisfied()).as("the sockets on port %s kept changing %s", port, when).isTrue();
        assertThat(SsComparisonTest.table(moment.value().get(0)))
                .as("the snapshot (actual) against ss -tan (expected) %s", when)
                .isEqualTo(SsComparisonTest.table(moment.value().get(1)));
    }

    private static List<Row> rows(SocketSnapshot snapshot, Set<String> ends) {
        return snapshot.all().stream().map(Row::of).filter(row -> row.hasEndIn(ends)).collect(Collectors.toList());
    }
}

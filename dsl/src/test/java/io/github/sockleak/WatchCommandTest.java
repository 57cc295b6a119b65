package io.github.sockleak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.SsComparisonTest.Row;
import io.github.sockleak.internal.Polling;
import io.github.sockleak.testing.Loopback;
import io.github.sockleak.testing.SsCommand;
import io.github.sockleak.testing.WatchProcess;
import java.net.ServerSocket;
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
 * The watch command run as a user runs it, in a JVM of its own, on real loopback sockets: this test's sockets are
 * another process's to it.
 */
@DisplayName("The watch command, end to end")
class WatchCommandTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Loopback net = new Loopback();

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @Test
    @DisplayName("--once --port P prints the port's sockets as ss -tan does, and exits 0")
    void onceEqualsSs() {
        Path ss = SsCommand.find().orElse(null);
        assumeTrue(ss != null, "ss (iproute2) is not installed: there is nothing to compare the table with");
        ServerSocket server = net.listen(Loopback.IPV4, 3);
        int port = server.getLocalPort();
        Socket queued = net.connect(port);
        Loopback.close(net.connect(port));
        Set<String> ends = Set.of("127.0.0.1:" + port);
        Loopback.awaitSnapshot("a queued child and a CLOSE-WAIT child", s -> s.listener(port)
                .map(l -> l.acceptQueueDepth() == 2 && l.queued().stream().anyMatch(t -> t.state() == TcpState.CLOSE_WAIT))
                .orElse(false));

        // ss between two runs of the command that print the same table: the three saw the same moment.
        Polling.Result<List<List<Row>>> moment = Polling.until(() -> {
            List<Row> first = once(port, ends);
            List<Row> fromSs = SsCommand.tanHe(ss, "( sport = :" + port + " or dport = :" + port + " )").stream()
                    .map(Row::parseSs).map(Row::withoutUid).filter(row -> row.hasEndIn(ends)).collect(Collectors.toList());
            return List.of(first, fromSs, once(port, ends));
        }, rows -> SsComparisonTest.table(rows.get(0)).equals(SsComparisonTest.table(rows.get(2))), PATIENCE);
        assertThat(moment.satisfied()).as("the sockets on port %s kept changing", port).isTrue();

        boolean backlogKnown = Sockets.snapshot().source() == SnapshotSource.NETLINK;
        List<Row> expected = backlogKnown ? moment.value().get(1) : SsComparisonTest.unknownBacklogs(moment.value().get(1));
        assertThat(SsComparisonTest.table(moment.value().get(0)))
                .as("watch --once (actual) against ss -tan (expected)")
                .isEqualTo(SsComparisonTest.table(expected));
        assertThat(moment.value().get(0)).extracting(Row::withoutIdentity)
                .contains("ESTAB 0 0 127.0.0.1:" + port + " 127.0.0.1:" + queued.getLocalPort());
    }

    /** The rows of {@code watch --once --port P}, read back as ss rows (uid aside: the watch prints the owner). */
    private static List<Row> once(int port, Set<String> ends) {
        try (WatchProcess watch = WatchProcess.fromClassPath("--once", "--port", Integer.toString(port))) {
            assertThat(watch.awaitExit()).as("exit code of %s: %s", watch.command(), watch.lines()).isZero();
            List<String> lines = watch.lines();
            assertThat(lines.get(0)).startsWith("# the TCP sockets with an end on port " + port + " at ");
            assertThat(lines.get(1)).startsWith("State      Recv-Q Send-Q Local Address:Port");
            assertThat(lines).anyMatch(line -> line.startsWith("listener 127.0.0.1:" + port + " (another process's): depth 2, visible 2, ghosts 0, backlog "));
            return lines.stream()
                    .filter(line -> !line.startsWith("#") && !line.startsWith("State") && !line.startsWith("listener"))
                    .map(Row::parseSs)
                    .map(Row::withoutUid)
                    .filter(row -> row.hasEndIn(ends))
                    .collect(Collectors.toList());
        }
    }

    @Test
    @DisplayName("a port that is not a number: a clear error, the usage, exit code 2")
    void portNotANumber() {
        try (WatchProcess watch = WatchProcess.fromClassPath("--port", "12a45")) {
            assertThat(watch.awaitExit()).isEqualTo(2);
            assertThat(watch.lines()).first().isEqualTo("watch: --port takes a port number from 1 to 65535, not '12a45'");
            assertThat(watch.lines()).anyMatch(line -> line.startsWith("usage: watch (--port PORT | --all | --listeners)"));
        }
    }

    @Test
    @DisplayName("Ctrl-C (SIGINT) ends the loop after its last line, with exit code 130")
    void ctrlC() {
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        try (WatchProcess watch = WatchProcess.fromClassPath("--port", Integer.toString(port), "--interval", "20ms")) {
            watch.awaitLine("the listener", line -> line.endsWith("listener 127.0.0.1:" + port + " (another process's): depth 0, visible 0, ghosts 0, backlog "
                    + (Sockets.snapshot().source() == SnapshotSource.NETLINK ? "50" : "? (not shown by /proc)")));
            net.connect(port);
            watch.awaitLine("the queue growing", line -> line.contains("listener 127.0.0.1:" + port + " (another process's): depth 1, visible 1, ghosts 0"));

            assertThat(watch.interrupt()).isEqualTo(130);
            assertThat(watch.lines()).last().isEqualTo("# stopped");
        }
    }
}

package io.github.sockleak.internal.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SsText;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The lines a watch prints between two looks, from tables written as {@code ss -tan} printed them during the seed
 * experiment against {@code nc -l 127.0.0.1 12345} stopped with SIGSTOP; this JVM was the client.
 */
@DisplayName("What a watch prints between two looks")
class WatchChangesTest {

    private static final Selection PORT = Selection.port(12345);

    private static final String LISTENING = """
            LISTEN     0 1 127.0.0.1:12345 0.0.0.0:*       ino:500 cookie:1 backlog:1
            ESTAB      0 0 127.0.0.1:8080  127.0.0.1:50000 ino:800 cookie:9
            """;
    private static final String CLIENT_CLOSED = """
            LISTEN     1 1 127.0.0.1:12345 0.0.0.0:*       ino:500 cookie:1 backlog:1
            CLOSE-WAIT 1 0 127.0.0.1:12345 127.0.0.1:40001 ino:0   cookie:2
            FIN-WAIT-2 0 0 127.0.0.1:40001 127.0.0.1:12345 ino:0   cookie:3
            """;
    private static final String PORT_REUSED = """
            LISTEN     2 1 127.0.0.1:12345 0.0.0.0:*       ino:500 cookie:1 backlog:1
            ESTAB      0 0 127.0.0.1:12345 127.0.0.1:40001 ino:0   cookie:4
            ESTAB      0 0 127.0.0.1:40001 127.0.0.1:12345 ino:77  cookie:5 own
            """;

    @Test
    @DisplayName("the first look shows every socket of the port as appearing, and the listener's queue")
    void firstLook() {
        assertThat(changes(WatchView.empty(), view(LISTENING))).satisfiesExactly(
                line -> assertThat(line).matches("\\+ LISTEN +0 +1 127\\.0\\.0\\.1:12345 +\\*:\\* +OTHER_PROCESS ino:500"),
                line -> assertThat(line).isEqualTo(
                        "  listener 127.0.0.1:12345 (another process's): depth 0, visible 0, ghosts 0, backlog 1"));
    }

    @Test
    @DisplayName("a client that connected and closed: its two ends appear, the queue grows by one")
    void queued() {
        assertThat(changes(view(LISTENING), view(CLIENT_CLOSED))).satisfiesExactly(
                line -> assertThat(line).matches("~ LISTEN +1 +1 127\\.0\\.0\\.1:12345 .*  \\(was LISTEN 0 1\\)"),
                line -> assertThat(line).matches("\\+ CLOSE-WAIT +1 +0 127\\.0\\.0\\.1:12345 +127\\.0\\.0\\.1:40001 .*"),
                line -> assertThat(line).matches("\\+ FIN-WAIT-2 +0 +0 127\\.0\\.0\\.1:40001 +127\\.0\\.0\\.1:12345 .*"),
                line -> assertThat(line).isEqualTo(
                        "  listener 127.0.0.1:12345 (another process's): depth 1, visible 1, ghosts 0, backlog 1"));
    }

    @Test
    @DisplayName("the port reused: both 4-tuples replaced, depth 2 with one child visible, and the ghost called out")
    void ghostAppears() {
        assertThat(changes(view(CLIENT_CLOSED), view(PORT_REUSED))).satisfiesExactly(
                line -> assertThat(line).matches("~ LISTEN +2 +1 127\\.0\\.0\\.1:12345 .*  \\(was LISTEN 1 1\\)"),
                line -> assertThat(line).matches(
                        "! ESTAB +0 +0 127\\.0\\.0\\.1:12345 +127\\.0\\.0\\.1:40001 .*  \\(replaces CLOSE-WAIT ino:0\\)"),
                line -> assertThat(line).matches(
                        "! ESTAB +0 +0 127\\.0\\.0\\.1:40001 +127\\.0\\.0\\.1:12345 +THIS_PROCESS ino:77  \\(replaces FIN-WAIT-2 ino:0\\)"),
                line -> assertThat(line).isEqualTo("  listener 127.0.0.1:12345 (another process's): depth 2, visible 1,"
                        + " ghosts 1, backlog 1  <- a ghost appeared: counted in the queue, in no table"));
    }

    @Test
    @DisplayName("without cookies (/proc) the same steps read the same, and the unknown backlog is ?")
    void procfs() {
        String closed = CLIENT_CLOSED.replaceAll(" cookie:\\d+", "").replace(" backlog:1", "").replace("LISTEN     1 1", "LISTEN     1 0");
        String reused = PORT_REUSED.replaceAll(" cookie:\\d+", "").replace(" backlog:1", "").replace("LISTEN     2 1", "LISTEN     2 0");

        List<String> lines = changes(proc(closed), proc(reused));

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("~ LISTEN +2 +\\? 127\\.0\\.0\\.1:12345 .*  \\(was LISTEN 1 \\?\\)");
        assertThat(lines.get(1)).startsWith("! ESTAB").endsWith("(replaces CLOSE-WAIT ino:0)");
        assertThat(lines.get(2)).startsWith("! ESTAB").endsWith("(replaces FIN-WAIT-2 ino:0)");
        assertThat(lines.get(3)).startsWith("  listener 127.0.0.1:12345 (another process's): depth 2, visible 1, ghosts 1,"
                + " backlog ? (not shown by /proc)  <- a ghost appeared");
    }

    @Test
    @DisplayName("a socket going, a socket changing state, and nothing at all when nothing changed")
    void goneAndUnchanged() {
        String accepted = """
                LISTEN     0 1 127.0.0.1:12345 0.0.0.0:*       ino:500 cookie:1 backlog:1
                ESTAB      0 0 127.0.0.1:12345 127.0.0.1:40001 ino:0   cookie:4
                """;
        String closedByPeer = """
                LISTEN     0 1 127.0.0.1:12345 0.0.0.0:*       ino:500 cookie:1 backlog:1
                CLOSE-WAIT 1 0 127.0.0.1:12345 127.0.0.1:40001 ino:0   cookie:4
                """;

        assertThat(changes(view(accepted), view(accepted))).isEmpty();
        assertThat(changes(view(accepted), view(closedByPeer))).satisfiesExactly(
                line -> assertThat(line).matches("~ CLOSE-WAIT +1 +0 127\\.0\\.0\\.1:12345 .*  \\(was ESTAB 0 0\\)"));
        assertThat(changes(view(closedByPeer), view(LISTENING))).satisfiesExactly(
                line -> assertThat(line).matches("- CLOSE-WAIT +1 +0 127\\.0\\.0\\.1:12345 +127\\.0\\.0\\.1:40001 .*"),
                line -> assertThat(line).endsWith("depth 0, visible 0, ghosts 0, backlog 1"));
    }

    @Test
    @DisplayName("--listeners shows the listening sockets only, --all every socket, --port those with an end on it")
    void selections() {
        assertThat(WatchView.of(SsText.snapshot(SnapshotSource.NETLINK, LISTENING), Selection.listeners()).table())
                .hasSize(3).element(1).asString().startsWith("LISTEN");
        assertThat(WatchView.of(SsText.snapshot(SnapshotSource.NETLINK, LISTENING), Selection.all()).table()).hasSize(4);
        assertThat(view(LISTENING).table()).hasSize(3);
        assertThat(WatchView.of(SsText.snapshot(SnapshotSource.NETLINK, CLIENT_CLOSED), PORT).table())
                .as("the client's end has the port as its peer").hasSize(5);
    }

    private static WatchView view(String rows) {
        return WatchView.of(SsText.snapshot(SnapshotSource.NETLINK, rows), PORT);
    }

    private static WatchView proc(String rows) {
        return WatchView.of(SsText.snapshot(SnapshotSource.PROCFS, rows), PORT);
    }

    private static List<String> changes(WatchView before, WatchView after) {
        return WatchChanges.between(before, after);
    }
}

package io.github.sockleak;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.SocketSource;
import io.github.sockleak.internal.SocketTable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The builder fed row by row, as a whole-table netlink dump feeds it: what a row means must not depend on what came
 * before it. Rows written as {@code ss -tan} prints them ({@link SsText}).
 */
@DisplayName("SnapshotBuilder fed row by row")
class SnapshotBuilderTest {

    @Test
    @DisplayName("a socket whose descriptor is listed only after the rows (opened during the dump) is this process's")
    void descriptorListedAfterTheRows() {
        Set<Long> own = new HashSet<>();
        List<RawSocketRow> rows = SsText.rows("""
                ESTAB      0 0  127.0.0.1:40001  127.0.0.1:5000   ino:601 own cookie:1
                ESTAB      0 0  127.0.0.1:40002  127.0.0.1:5000   ino:602 cookie:2
                ESTAB      0 0  127.0.0.1:40003  127.0.0.1:5000   ino:603 cookie:3
                """, own);

        SocketSnapshot snapshot = streamed(rows, Set.of(601L), Set.of(601L, 603L));

        assertThat(snapshot.all()).extracting(TcpSocket::owner)
                .containsExactly(Owner.THIS_PROCESS, Owner.OTHER_PROCESS, Owner.THIS_PROCESS);
        assertThat(snapshot.own()).extracting(socket -> socket.local().getPort()).containsExactly(40001, 40003);
    }

    @Test
    @DisplayName("a queued child read before its listener is still in its queue, and the table keeps its order")
    void childBeforeItsListener() {
        Set<Long> own = new HashSet<>();
        List<RawSocketRow> rows = SsText.rows("""
                CLOSE-WAIT 1 0  127.0.0.1:8080   127.0.0.1:40002  ino:0
                TIME-WAIT  0 0  127.0.0.1:8080   127.0.0.1:40003  ino:0
                ESTAB      0 0  127.0.0.1:40004  127.0.0.1:9090   ino:604
                LISTEN     1 50 127.0.0.1:8080   0.0.0.0:*        ino:700 own backlog:50
                """, own);

        SocketSnapshot snapshot = streamed(rows, own, Set.of());

        assertThat(snapshot.all()).extracting(socket -> socket.state() + " " + socket.local().getPort() + "-"
                        + socket.remote().getPort() + " " + socket.owner())
                .containsExactly("CLOSE-WAIT 8080-40002 ACCEPT_QUEUE", "TIME-WAIT 8080-40003 ORPHAN",
                        "ESTAB 40004-9090 OTHER_PROCESS", "LISTEN 8080-0 THIS_PROCESS");
        Listener listener = snapshot.listener(8080).orElseThrow();
        assertThat(listener.queued()).extracting(socket -> socket.remote().getPort()).containsExactly(40002);
        assertThat(listener.ghosts()).isZero();
    }

    @Test
    @DisplayName("rows fed one by one, connections as their fields, make the snapshot the same rows make from a table")
    void sameAsFromATable() {
        Set<Long> own = new HashSet<>();
        List<RawSocketRow> rows = SsText.rows("""
                LISTEN     2 1  127.0.0.1:12345  0.0.0.0:*        ino:500 cookie:10 backlog:1 drops:0
                ESTAB      0 0  127.0.0.1:12345  127.0.0.1:40001  ino:0 cookie:11
                ESTAB      0 0  127.0.0.1:40001  127.0.0.1:12345  ino:601 own cookie:12
                LISTEN     1 50 127.0.0.1:8080   0.0.0.0:*        ino:700 own cookie:13 backlog:50 drops:0
                CLOSE-WAIT 1 0  127.0.0.1:8080   127.0.0.1:40002  ino:0 cookie:14
                TIME-WAIT  0 0  127.0.0.1:12345  127.0.0.1:40003  ino:0 cookie:15
                ESTAB      0 0  127.0.0.1:40004  127.0.0.1:9090   ino:604 cookie:16
                """, own);

        SocketSnapshot fromTable = SnapshotBuilder.build(SnapshotSource.NETLINK, SnapshotCoverage.NAMESPACE, "table",
                new SocketTable(rows, List.of(), own));
        SocketSnapshot streamed = streamed(rows, own, own);

        assertThat(streamed.all()).isEqualTo(fromTable.all());
        assertThat(streamed.allListeners()).extracting(Listener::toString)
                .isEqualTo(fromTable.allListeners().stream().map(Listener::toString).toList());
    }

    /**
     * The rows through a source that names {@code before} ahead of them and {@code after} behind them, as a dump
     * gives them: a connection with a cookie as its fields, anything else as a row.
     */
    private static SocketSnapshot streamed(List<RawSocketRow> rows, Set<Long> before, Set<Long> after) {
        SocketSource source = sink -> {
            sink.ownInodes(before);
            for (RawSocketRow row : rows) {
                if (row.state() != TcpState.LISTEN && row.cookie().isPresent()) {
                    sink.connection(row.family(), row.state(), row.local(), row.localPort(), row.remote(),
                            row.remotePort(), row.sendQ(), row.recvQ(), row.uid(), row.inode(), row.cookie().getAsLong());
                } else {
                    sink.row(row);
                }
            }
            sink.ownInodes(after);
        };
        return SnapshotBuilder.build(SnapshotSource.NETLINK, SnapshotCoverage.NAMESPACE, "streamed", source);
    }
}

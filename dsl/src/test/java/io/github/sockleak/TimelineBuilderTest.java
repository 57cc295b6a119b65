package io.github.sockleak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.sockleak.SocketTimeline.Event.Kind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a recording keeps from samples written as {@code ss} prints them: spans, queue samples, events, the cap. */
@DisplayName("A timeline built from samples")
class TimelineBuilderTest {

    private static final String LISTENER = "LISTEN 0 50 127.0.0.1:5000 *:* ino:11 own";

    @Test
    @DisplayName("the seed on /proc: two queued children turn CLOSE-WAIT, one is reset and replaced, a ghost appears")
    void seedWithoutCookies() {
        TimelineBuilder builder = new TimelineBuilder(Set.of());
        builder.add(ss(LISTENER), ms(0));
        builder.add(ss("LISTEN 2 50 127.0.0.1:5000 *:* ino:11 own",
                "ESTAB 0 0 127.0.0.1:5000 127.0.0.1:40000 ino:0",
                "ESTAB 0 0 127.0.0.1:5000 127.0.0.1:40001 ino:0"), ms(3));
        builder.add(ss("LISTEN 2 50 127.0.0.1:5000 *:* ino:11 own",
                "CLOSE-WAIT 1 0 127.0.0.1:5000 127.0.0.1:40000 ino:0",
                "CLOSE-WAIT 1 0 127.0.0.1:5000 127.0.0.1:40001 ino:0"), ms(5));
        // The client reuses port 40000: the CLOSE-WAIT child is reset, a new ESTAB child takes its 4-tuple.
        builder.add(ss("LISTEN 3 50 127.0.0.1:5000 *:* ino:11 own",
                "ESTAB 0 0 127.0.0.1:5000 127.0.0.1:40000 ino:0",
                "CLOSE-WAIT 1 0 127.0.0.1:5000 127.0.0.1:40001 ino:0"), ms(19));
        SocketTimeline timeline = builder.timeline(Instant.EPOCH, ms(25), ms(1), List.of());

        assertThat(timeline.listener(5000).orElseThrow().summary())
                .isEqualTo("depth 0 -> 2 (3 ms) -> 3 (19 ms); ghost at 19 ms");
        List<SocketHistory> reused = timeline.sockets(end(5000), end(40000));
        assertThat(reused).extracting(SocketHistory::summary)
                .containsExactly("ESTAB 3-5 ms -> CLOSE-WAIT 5-19 ms -> gone", "ESTAB 19 ms-end");
        assertThat(timeline.sockets(end(5000), end(40001))).extracting(SocketHistory::summary)
                .containsExactly("ESTAB 3-5 ms -> CLOSE-WAIT 5 ms-end");
        assertThat(timeline.events().stream().filter(event -> event.at().equals(ms(19))).map(SocketTimeline.Event::kind))
                .containsExactlyInAnyOrder(Kind.RESET, Kind.REUSED, Kind.GHOST);
        assertThat(timeline.listener(5000).orElseThrow().maxGhosts()).isEqualTo(1);
        assertThat(timeline.listener(5000).orElseThrow().maxDepth()).isEqualTo(3);
        assertThat(reused.get(0).timeIn(TcpState.CLOSE_WAIT)).isEqualTo(ms(14));
        assertThat(reused.get(0).stateAt(ms(10))).contains(TcpState.CLOSE_WAIT);
        assertThat(reused.get(0).stateAt(ms(19))).isEmpty();
        assertThat(reused.get(1).stateAt(ms(25))).contains(TcpState.ESTABLISHED);
        assertThat(timeline.samples()).isEqualTo(4);
        assertThat(timeline.coarsened()).isFalse();
    }

    @Test
    @DisplayName("a socket is found by its inode on /proc, by its cookie on netlink, never by a port alone")
    void lookups() {
        TimelineBuilder builder = new TimelineBuilder(Set.of());
        builder.add(ss("ESTAB 0 0 127.0.0.1:40000 127.0.0.1:5000 ino:21 own cookie:7",
                "ESTAB 0 0 127.0.0.1:40002 127.0.0.1:5001 ino:22 own cookie:8"), ms(0));
        builder.add(ss("CLOSE-WAIT 1 0 127.0.0.1:40000 127.0.0.1:5000 ino:21 own cookie:7",
                "ESTAB 0 0 127.0.0.1:40002 127.0.0.1:5001 ino:22 own cookie:8"), ms(12));
        SocketTimeline timeline = builder.timeline(Instant.EPOCH, ms(15), ms(1), List.of());

        TcpSocket later = ss("CLOSE-WAIT 1 0 127.0.0.1:40000 127.0.0.1:5000 ino:21 own cookie:7").own().get(0);
        assertThat(timeline.socket(later).orElseThrow().summary()).isEqualTo("ESTAB 0-12 ms -> CLOSE-WAIT 12 ms-end");
        TcpSocket otherCookie = ss("CLOSE-WAIT 1 0 127.0.0.1:40000 127.0.0.1:5000 ino:21 own cookie:9").own().get(0);
        assertThat(timeline.socket(otherCookie)).isEmpty();
        TcpSocket samePortOtherPeer = ss("ESTAB 0 0 127.0.0.1:40000 127.0.0.1:5009 ino:21 own").own().get(0);
        assertThat(timeline.socket(samePortOtherPeer)).isEmpty();
        assertThat(timeline.sockets(end(40000), end(5000))).hasSize(1);
    }

    @Test
    @DisplayName("past the cap the oldest are coarsened: listener samples merged keeping the peaks, gone sockets forgotten")
    void coarsensTheOldest() {
        TimelineBuilder builder = new TimelineBuilder(Set.of(), 100);
        for (int i = 0; i < 200; i++) {
            int depth = i % 2 == 0 ? 0 : 1 + i % 7;
            builder.add(ss("LISTEN " + depth + " 50 127.0.0.1:5000 *:* ino:11 own",
                    "ESTAB 0 0 127.0.0.1:" + (30000 + i) + " 127.0.0.1:6000 ino:" + (1000 + i) + " own"), ms(i));
            assertThat(builder.changes()).as("stored changes after sample %s", i).isLessThanOrEqualTo(100);
        }
        SocketTimeline timeline = builder.timeline(Instant.EPOCH, ms(200), ms(1), List.of());

        assertThat(timeline.coarsened()).isTrue();
        ListenerHistory listener = timeline.listener(5000).orElseThrow();
        assertThat(listener.maxDepth()).isEqualTo(7);
        assertThat(listener.samples().get(listener.samples().size() - 1).depth()).as("the queue now is never merged").isEqualTo(1 + 199 % 7);
        assertThat(timeline.sockets()).as("the latest socket is kept")
                .anyMatch(history -> history.first().local().getPort() == 30199 && history.gone().isEmpty());
        assertThat(timeline.sockets().stream().map(history -> history.first().local().getPort()).collect(Collectors.toList()))
                .as("the oldest are the ones forgotten").doesNotContain(30000).isSorted();
    }

    @Test
    @DisplayName("a ghost seen once, from a child accepted between two reads, is read again and left out; a real one stays")
    void ghostsAreReadTwice() {
        SocketSnapshot empty = ss(LISTENER);
        SocketSnapshot depthBeforeTheAccept = ss("LISTEN 1 50 127.0.0.1:5000 *:* ino:11 own");
        SocketSnapshot accepted = ss(LISTENER, "ESTAB 0 0 127.0.0.1:5000 127.0.0.1:40000 ino:31 own");
        Iterator<SocketSnapshot> reads = List.of(empty, depthBeforeTheAccept, accepted).iterator();
        // An interval no test waits for: the first sample, then the last one, which stop() takes.
        SocketTimeline raced = new SocketRecorder(reads::next, Duration.ofHours(1), Set.of()).stop();
        assertThat(raced.listener(5000).orElseThrow().maxGhosts()).isZero();

        Iterator<SocketSnapshot> realGhost = List.of(empty, depthBeforeTheAccept, depthBeforeTheAccept).iterator();
        SocketTimeline ghost = new SocketRecorder(realGhost::next, Duration.ofHours(1), Set.of()).stop();
        assertThat(ghost.listener(5000).orElseThrow().maxGhosts()).isEqualTo(1);
        assertThat(ghost.samples()).isEqualTo(2);
    }

    @Test
    @DisplayName("a ghost that seems to leave while its queue did not shrink, from a child queued between two reads, is read again and kept")
    void aGhostLeavesOnlyByAccept() {
        SocketSnapshot ghost = ss("LISTEN 1 50 127.0.0.1:5000 *:* ino:11 own");
        SocketSnapshot childQueuedBetweenTheReads = ss("LISTEN 1 50 127.0.0.1:5000 *:* ino:11 own",
                "ESTAB 0 0 127.0.0.1:5000 127.0.0.1:40001 ino:0");
        SocketSnapshot ghostAndChild = ss("LISTEN 2 50 127.0.0.1:5000 *:* ino:11 own",
                "ESTAB 0 0 127.0.0.1:5000 127.0.0.1:40001 ino:0");
        // The first sample's ghost is read twice; the last sample's apparent loss of it too.
        Iterator<SocketSnapshot> reads = List.of(ghost, ghost, childQueuedBetweenTheReads, ghostAndChild).iterator();
        SocketTimeline timeline = new SocketRecorder(reads::next, Duration.ofHours(1), Set.of()).stop();

        ListenerHistory listener = timeline.listener(5000).orElseThrow();
        assertThat(listener.samples()).extracting(ListenerHistory.Sample::depth, ListenerHistory.Sample::ghosts)
                .containsExactly(tuple(1, 1), tuple(2, 1));
        assertThat(timeline.events()).filteredOn(event -> event.kind() == SocketTimeline.Event.Kind.GHOST).hasSize(1);
    }

    private static SocketSnapshot ss(String... rows) {
        return SsText.snapshot(SnapshotSource.PROCFS, String.join("\n", rows));
    }

    private static InetSocketAddress end(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }
}

package io.github.sockleak.junit.internal.timeline;

import io.github.sockleak.ListenerHistory;
import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketHistory;
import io.github.sockleak.SocketHistory.Span;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.SocketTimeline.Event;
import io.github.sockleak.SocketTimeline.Phase;
import io.github.sockleak.SsText;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Timelines shaped as the recorder makes them, built with the model's own constructors from rows written as
 * {@code ss} prints them: the renderer's input, not a stand-in for the kernel.
 */
final class RecordedTimelines {

    static final Instant STARTED = Instant.parse("2026-11-29T15:44:16.250Z");

    private RecordedTimelines() {
    }

    /**
     * The README's first leak: a server accepts one connection and closes it and itself; the client is never
     * closed. Its lane ends in CLOSE-WAIT through a second of settle; the accepted end is an orphan in FIN-WAIT-2.
     */
    static SocketTimeline closeWaitLeak() {
        String listener = "LISTEN 0 50 127.0.0.1:33931 *:* ino:7001 own backlog:50";
        TcpSocket listening = socket(listener);
        TcpSocket clientEstab = socket("ESTAB 0 0 127.0.0.1:47942 127.0.0.1:33931 ino:7002 own cookie:12");
        TcpSocket clientCloseWait = socket("CLOSE-WAIT 1 0 127.0.0.1:47942 127.0.0.1:33931 ino:7002 own cookie:12");
        TcpSocket acceptedEstab = socket("ESTAB 0 0 127.0.0.1:33931 127.0.0.1:47942 ino:7003 own cookie:13");
        TcpSocket acceptedFinWait = socket("FIN-WAIT-2 0 0 127.0.0.1:33931 127.0.0.1:47942 ino:0 cookie:13");
        Duration length = ms(1006.4);
        List<SocketHistory> sockets = List.of(
                new SocketHistory(clientEstab, List.of(
                        new Span(TcpState.ESTABLISHED, ms(1.6), ms(2.4), clientEstab),
                        new Span(TcpState.CLOSE_WAIT, ms(2.4), length, clientCloseWait)), Optional.empty()),
                new SocketHistory(acceptedEstab, List.of(
                        new Span(TcpState.ESTABLISHED, ms(1.6), ms(2.4), acceptedEstab),
                        new Span(TcpState.FIN_WAIT2, ms(2.4), length, acceptedFinWait)), Optional.empty()));
        List<ListenerHistory> listeners = List.of(new ListenerHistory(listening, List.of(
                queue(1.2, 0, 0, 0, 50), queue(1.6, 1, 1, 0, 50), queue(2.0, 0, 0, 0, 50)), Optional.of(ms(4.1))));
        List<Event> events = List.of(
                new Event(ms(1.2), Event.Kind.OPENED, listening),
                new Event(ms(1.6), Event.Kind.OPENED, clientEstab),
                new Event(ms(1.6), Event.Kind.OPENED, acceptedEstab),
                new Event(ms(2.4), Event.Kind.STATE, clientCloseWait),
                new Event(ms(2.4), Event.Kind.STATE, acceptedFinWait),
                new Event(ms(4.1), Event.Kind.GONE, listening));
        return new SocketTimeline(STARTED, length, ms(2), SnapshotSource.NETLINK, 503, false,
                phases(0.8, 4.6, 5.0, length), sockets, listeners, events);
    }

    /**
     * The seed experiment: a listener that never accepts; two clients connect and close, their children wait in
     * CLOSE-WAIT; a third client reuses the first one's port, which resets the first child and leaves a ghost.
     */
    static SocketTimeline seedExperiment() {
        String listenerRow = "LISTEN 0 50 127.0.0.1:41234 *:* ino:8001 own backlog:50";
        TcpSocket listener = socket(listenerRow);
        List<SocketHistory> sockets = new ArrayList<>();
        TcpSocket client1 = socket("ESTAB 0 0 127.0.0.1:50001 127.0.0.1:41234 ino:8002 own cookie:21");
        sockets.add(new SocketHistory(client1, List.of(
                new Span(TcpState.ESTABLISHED, ms(3), ms(5), client1),
                new Span(TcpState.FIN_WAIT2, ms(5), ms(12), socket("FIN-WAIT-2 0 0 127.0.0.1:50001 127.0.0.1:41234 ino:0 cookie:21"))),
                Optional.of(ms(12))));
        TcpSocket child1 = queued(listenerRow, "ESTAB 0 0 127.0.0.1:41234 127.0.0.1:50001 ino:0 cookie:22");
        sockets.add(new SocketHistory(child1, List.of(
                new Span(TcpState.ESTABLISHED, ms(3), ms(5), child1),
                new Span(TcpState.CLOSE_WAIT, ms(5), ms(12), queued(listenerRow, "CLOSE-WAIT 1 0 127.0.0.1:41234 127.0.0.1:50001 ino:0 cookie:22"))),
                Optional.of(ms(12))));
        TcpSocket client2 = socket("ESTAB 0 0 127.0.0.1:50002 127.0.0.1:41234 ino:8003 own cookie:23");
        TcpSocket client2Closed = socket("FIN-WAIT-2 0 0 127.0.0.1:50002 127.0.0.1:41234 ino:0 cookie:23");
        sockets.add(new SocketHistory(client2, List.of(
                new Span(TcpState.ESTABLISHED, ms(7), ms(9), client2),
                new Span(TcpState.FIN_WAIT2, ms(9), ms(18), client2Closed)), Optional.empty()));
        TcpSocket child2 = queued(listenerRow, "ESTAB 0 0 127.0.0.1:41234 127.0.0.1:50002 ino:0 cookie:24");
        sockets.add(new SocketHistory(child2, List.of(
                new Span(TcpState.ESTABLISHED, ms(7), ms(9), child2),
                new Span(TcpState.CLOSE_WAIT, ms(9), ms(15), queued(listenerRow, "CLOSE-WAIT 1 0 127.0.0.1:41234 127.0.0.1:50002 ino:0 cookie:24"))),
                Optional.of(ms(15))));
        TcpSocket client3 = socket("ESTAB 0 0 127.0.0.1:50001 127.0.0.1:41234 ino:8004 own cookie:25");
        sockets.add(new SocketHistory(client3, List.of(new Span(TcpState.ESTABLISHED, ms(12), ms(15.2), client3)),
                Optional.of(ms(15.2))));
        TcpSocket child3 = queued(listenerRow, "ESTAB 0 0 127.0.0.1:41234 127.0.0.1:50001 ino:0 cookie:26");
        sockets.add(new SocketHistory(child3, List.of(new Span(TcpState.ESTABLISHED, ms(12), ms(15), child3)),
                Optional.of(ms(15))));
        List<ListenerHistory> listeners = List.of(new ListenerHistory(listener, List.of(
                queue(0.5, 0, 0, 0, 50), queue(3, 1, 1, 0, 50), queue(7, 2, 2, 0, 50), queue(12, 3, 2, 1, 50)),
                Optional.of(ms(15))));
        List<Event> events = List.of(
                new Event(ms(12), Event.Kind.RESET, child1),
                new Event(ms(12), Event.Kind.REUSED, client3),
                new Event(ms(12), Event.Kind.REUSED, child3),
                new Event(ms(12), Event.Kind.GHOST, listener));
        return new SocketTimeline(STARTED, ms(18), ms(0.5), SnapshotSource.NETLINK, 36, false,
                phases(0.4, 14, 15.5, ms(18)), sockets, listeners, events);
    }

    /** {@code count} short connections one after another, each ESTAB then TIME-WAIT, over a long recording. */
    static SocketTimeline manySockets(int count) {
        List<SocketHistory> sockets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int port = 40000 + i;
            TcpSocket estab = socket("ESTAB 0 0 127.0.0.1:" + port + " 127.0.0.1:8080 ino:" + (9000 + i) + " own");
            TcpSocket timeWait = socket("TIME-WAIT 0 0 127.0.0.1:" + port + " 127.0.0.1:8080 ino:0");
            sockets.add(new SocketHistory(estab, List.of(
                    new Span(TcpState.ESTABLISHED, ms(i * 40.0), ms(i * 40.0 + 25), estab),
                    new Span(TcpState.TIME_WAIT, ms(i * 40.0 + 25), ms(count * 40.0 + 100), timeWait)), Optional.empty()));
        }
        Duration length = ms(count * 40.0 + 100);
        return new SocketTimeline(STARTED, length, ms(5), SnapshotSource.PROCFS, count * 8 + 20, true,
                phases(1, count * 40.0 + 2, count * 40.0 + 3, length), sockets, List.of(), List.of());
    }

    /** A recording in which nothing happened: a clean test without a socket. */
    static SocketTimeline empty() {
        return new SocketTimeline(STARTED, ms(3), ms(1), SnapshotSource.NETLINK, 4, false,
                phases(0.2, 2.5, 2.8, ms(3)), List.of(), List.of(), List.of());
    }

    /** The socket of a row written as {@code ss} prints it, alone in its table. */
    static TcpSocket socket(String row) {
        return SsText.snapshot(SnapshotSource.NETLINK, row).all().get(0);
    }

    /** A child in the accept queue of {@code listener}, which it needs beside it to be seen as queued. */
    static TcpSocket queued(String listener, String child) {
        return SsText.snapshot(SnapshotSource.NETLINK, listener + "\n" + child).all().get(1);
    }

    static Duration ms(double millis) {
        return Duration.ofNanos(Math.round(millis * 1_000_000));
    }

    private static ListenerHistory.Sample queue(double at, int depth, int queued, int ghosts, int backlog) {
        return new ListenerHistory.Sample(ms(at), depth, queued, ghosts, OptionalInt.of(backlog), OptionalLong.of(0));
    }

    /** A checked test's phases: before each from the start, the test, after each, then the settle to the end. */
    private static List<Phase> phases(double testFrom, double afterFrom, double settleFrom, Duration end) {
        return List.of(new Phase("before each", Duration.ZERO, ms(testFrom)), new Phase("test", ms(testFrom), ms(afterFrom)),
                new Phase("after each", ms(afterFrom), ms(settleFrom)), new Phase("settle", ms(settleFrom), end));
    }
}

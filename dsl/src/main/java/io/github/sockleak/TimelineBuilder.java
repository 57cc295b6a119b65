package io.github.sockleak;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a recording's samples into a {@link SocketTimeline}, keeping only what changed: a span per state of each
 * socket, a sample per change of each listener's queue, and the events between samples. Sockets are followed from
 * sample to sample as {@link SocketDiff} pairs them, the one place that decides identity.
 *
 * <p>Memory is bounded: past {@link #MAX_CHANGES} stored changes the oldest are coarsened, first by merging the
 * older half of each listener's samples pairwise, then by forgetting the sockets that went first, then by dropping
 * the oldest events, until a quarter of the cap is free again. Not thread-safe: the recorder serialises its calls.
 */
final class TimelineBuilder {

    /** The most spans, listener samples and events one recording stores before it coarsens the oldest. */
    static final int MAX_CHANGES = 10_000;

    /** A queued connection (no descriptor) that vanishes in these states was reset, not closed by its owner. */
    private static final Set<TcpState> RESETTABLE = Set.of(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT,
            TcpState.SYN_RECV, TcpState.NEW_SYN_RECV);

    private final Set<Integer> watchedPorts;
    private final int maxChanges;
    private final List<SocketTrack> sockets = new ArrayList<>();
    private final Map<ListenerKey, ListenerTrack> listeners = new LinkedHashMap<>();
    private final List<RecordedEvent> events = new ArrayList<>();
    /** How many recorded sockets that are gone each 4-tuple had: a new socket on one of them reuses it. */
    private final Map<List<InetSocketAddress>, Integer> goneFourTuples = new HashMap<>();
    /** The sockets the last sample saw, each with its track: the next sample is paired against these. */
    private Map<TcpSocket, SocketTrack> live = new IdentityHashMap<>();
    private SnapshotSource source;
    private int samples;
    private int changes;
    private boolean coarsened;

    TimelineBuilder(Set<Integer> watchedPorts) {
        this(watchedPorts, MAX_CHANGES);
    }

    /** @param maxChanges the cap, smaller in tests that coarsen */
    TimelineBuilder(Set<Integer> watchedPorts, int maxChanges) {
        this.watchedPorts = Set.copyOf(watchedPorts);
        this.maxChanges = maxChanges;
    }

    /** Adds what {@code snapshot}, taken {@code at} into the recording, shows changed since the last sample. */
    void add(SocketSnapshot snapshot, Duration at) {
        if (source == null) {
            source = snapshot.source();
        }
        samples++;
        sockets(recorded(snapshot), at);
        listeners(recordedListeners(snapshot), at);
        if (changes > maxChanges) {
            coarsen();
        }
    }

    /**
     * Whether {@code snapshot} shows a listener whose ghosts changed in a way a read between two others can fake: more
     * ghosts than its last sample had (a child accepted between the depth read and the children's), or fewer while
     * its queue did not shrink (a child queued between them): a real ghost leaves the count only by
     * {@code accept()}, which shrinks the queue.
     */
    boolean showsGhostsToConfirm(SocketSnapshot snapshot) {
        for (Listener listener : recordedListeners(snapshot)) {
            ListenerTrack track = listeners.get(ListenerKey.of(listener));
            ListenerHistory.Sample last = track == null || track.gone != null ? null : track.last();
            int ghostsBefore = last == null ? 0 : last.ghosts();
            if (listener.ghosts() > ghostsBefore
                    || listener.ghosts() < ghostsBefore && listener.acceptQueueDepth() >= last.depth()) {
                return true;
            }
        }
        return false;
    }

    /** This process's sockets and those on the watched ports: on {@code /proc} the snapshot holds every socket. */
    private List<TcpSocket> recorded(SocketSnapshot snapshot) {
        List<TcpSocket> recorded = new ArrayList<>(snapshot.own());
        if (!watchedPorts.isEmpty()) {
            for (TcpSocket socket : snapshot.all()) {
                if (!socket.isOwn() && watchedPorts.contains(socket.local().getPort())) {
                    recorded.add(socket);
                }
            }
        }
        return recorded;
    }

    private List<Listener> recordedListeners(SocketSnapshot snapshot) {
        List<Listener> recorded = new ArrayList<>(snapshot.listeners());
        if (!watchedPorts.isEmpty()) {
            for (Listener listener : snapshot.allListeners()) {
                if (!listener.socket().isOwn() && watchedPorts.contains(listener.port())) {
                    recorded.add(listener);
                }
            }
        }
        return recorded;
    }

    private void sockets(List<TcpSocket> seen, Duration at) {
        SocketDiff.Pairing pairing = SocketDiff.pair(new ArrayList<>(live.keySet()), seen);
        Map<TcpSocket, SocketTrack> next = new IdentityHashMap<>();
        for (SocketDiff.Same same : pairing.same()) {
            SocketTrack track = live.get(same.before());
            if (track.saw(same.after(), at)) {
                changes++;
                event(at, SocketTimeline.Event.Kind.STATE, same.after(), track);
            }
            next.put(same.after(), track);
        }
        for (TcpSocket closed : pairing.closed()) {
            SocketTrack track = live.get(closed);
            track.gone(at);
            goneFourTuples.merge(fourTuple(closed), 1, Integer::sum);
            event(at, wasReset(closed) ? SocketTimeline.Event.Kind.RESET : SocketTimeline.Event.Kind.GONE, closed, track);
        }
        // Replaced within one sample, as the diff pairs it, or later: the seed's client re-sends its SYN after the
        // reset, so the new child can come a sample after the old one went.
        for (TcpSocket opened : pairing.opened()) {
            SocketTrack track = new SocketTrack(opened, at);
            sockets.add(track);
            changes++;
            boolean reuse = goneFourTuples.containsKey(fourTuple(opened));
            event(at, reuse ? SocketTimeline.Event.Kind.REUSED : SocketTimeline.Event.Kind.OPENED, opened, track);
            next.put(opened, track);
        }
        live = next;
    }

    private static List<InetSocketAddress> fourTuple(TcpSocket socket) {
        return List.of(socket.local(), socket.remote());
    }

    /** A queued connection, held by no descriptor, that vanished while connected: reset (the seed's ghost). */
    private static boolean wasReset(TcpSocket socket) {
        return socket.inode() == 0 && RESETTABLE.contains(socket.state());
    }

    private void listeners(List<Listener> seen, Duration at) {
        Map<ListenerKey, Listener> now = new LinkedHashMap<>();
        for (Listener listener : seen) {
            now.putIfAbsent(ListenerKey.of(listener), listener);
        }
        for (Map.Entry<ListenerKey, ListenerTrack> entry : listeners.entrySet()) {
            ListenerTrack track = entry.getValue();
            if (track.gone == null && !now.containsKey(entry.getKey())) {
                track.gone = at;
            }
        }
        now.forEach((key, listener) -> {
            ListenerTrack track = listeners.get(key);
            if (track == null || track.gone != null) {
                track = new ListenerTrack(listener.socket());
                listeners.put(key, track);
            }
            ListenerHistory.Sample sample = new ListenerHistory.Sample(at, listener.acceptQueueDepth(),
                    listener.queued().size(), listener.ghosts(), listener.backlog(), listener.drops());
            ListenerHistory.Sample last = track.last();
            if (last == null || !sameQueue(last, sample)) {
                track.samples.add(sample);
                changes++;
                if (sample.ghosts() > (last == null ? 0 : last.ghosts())) {
                    event(at, SocketTimeline.Event.Kind.GHOST, listener.socket(), null);
                }
            }
        });
    }

    private static boolean sameQueue(ListenerHistory.Sample a, ListenerHistory.Sample b) {
        return a.depth() == b.depth() && a.queued() == b.queued() && a.ghosts() == b.ghosts()
                && a.backlog().equals(b.backlog()) && a.drops().equals(b.drops());
    }

    private void event(Duration at, SocketTimeline.Event.Kind kind, TcpSocket socket, SocketTrack track) {
        events.add(new RecordedEvent(new SocketTimeline.Event(at, kind, socket), track));
        changes++;
    }

    /** Frees a quarter of the cap, oldest first. */
    private void coarsen() {
        coarsened = true;
        int target = maxChanges - maxChanges / 4;
        while (changes > target && mergeOldestListenerSamples()) {
            // each pass halves the older half of every listener's samples
        }
        for (Iterator<SocketTrack> each = sockets.iterator(); changes > target && each.hasNext(); ) {
            SocketTrack track = each.next();
            if (track.gone != null) {
                each.remove();
                goneFourTuples.computeIfPresent(fourTuple(track.first), (tuple, count) -> count == 1 ? null : count - 1);
                changes -= track.spans.size() + 1;
                int before = events.size();
                events.removeIf(event -> event.track == track);
                changes -= before - events.size();
            }
        }
        if (changes > target) {
            int drop = Math.min(events.size(), changes - target);
            events.subList(0, drop).clear();
            changes -= drop;
        }
    }

    /** Whether any listener had samples to merge: each merged pair keeps the greater counts, at the earlier time. */
    private boolean mergeOldestListenerSamples() {
        boolean merged = false;
        for (ListenerTrack track : listeners.values()) {
            List<ListenerHistory.Sample> samples = track.samples;
            int older = (samples.size() - 1) / 2 * 2; // the last sample is the queue now: never merged
            if (older < 2) {
                continue;
            }
            List<ListenerHistory.Sample> coarse = new ArrayList<>(samples.size() - older / 2);
            for (int i = 0; i < older; i += 2) {
                coarse.add(merge(samples.get(i), samples.get(i + 1)));
            }
            coarse.addAll(samples.subList(older, samples.size()));
            changes -= samples.size() - coarse.size();
            track.samples = coarse;
            merged = true;
        }
        return merged;
    }

    private static ListenerHistory.Sample merge(ListenerHistory.Sample earlier, ListenerHistory.Sample later) {
        return new ListenerHistory.Sample(earlier.at(), Math.max(earlier.depth(), later.depth()),
                Math.max(earlier.queued(), later.queued()), Math.max(earlier.ghosts(), later.ghosts()),
                later.backlog(), later.drops());
    }

    /** How many spans, listener samples and events are stored now. */
    int changes() {
        return changes;
    }

    SocketTimeline timeline(Instant startedAt, Duration length, Duration interval, List<SocketTimeline.Phase> phases) {
        List<SocketHistory> histories = new ArrayList<>(sockets.size());
        for (SocketTrack track : sockets) {
            histories.add(track.history(length));
        }
        List<ListenerHistory> listenerHistories = new ArrayList<>(listeners.size());
        for (ListenerTrack track : listeners.values()) {
            listenerHistories.add(new ListenerHistory(track.socket, track.samples, Optional.ofNullable(track.gone)));
        }
        List<SocketTimeline.Event> recordedEvents = new ArrayList<>(events.size());
        for (RecordedEvent event : events) {
            recordedEvents.add(event.event);
        }
        return new SocketTimeline(startedAt, length, interval, source, samples, coarsened, phases, histories,
                listenerHistories, recordedEvents);
    }

    /** One socket followed from sample to sample: its closed spans and the one it is in. */
    private static final class SocketTrack {
        private final TcpSocket first;
        private final List<SocketHistory.Span> spans = new ArrayList<>(2);
        private Duration from;
        private TcpSocket row;
        private Duration gone;

        SocketTrack(TcpSocket first, Duration at) {
            this.first = first;
            this.from = at;
            this.row = first;
        }

        /** Whether the socket changed state. */
        boolean saw(TcpSocket now, Duration at) {
            boolean changed = now.state() != row.state();
            if (changed) {
                spans.add(new SocketHistory.Span(row.state(), from, at, row));
                from = at;
            }
            row = now;
            return changed;
        }

        void gone(Duration at) {
            gone = at;
        }

        SocketHistory history(Duration end) {
            List<SocketHistory.Span> all = new ArrayList<>(spans);
            all.add(new SocketHistory.Span(row.state(), from, gone == null ? end : gone, row));
            return new SocketHistory(first, all, Optional.ofNullable(gone));
        }
    }

    /** One listener's queue, a sample per change. */
    private static final class ListenerTrack {
        private final TcpSocket socket;
        private List<ListenerHistory.Sample> samples = new ArrayList<>();
        private Duration gone;

        ListenerTrack(TcpSocket socket) {
            this.socket = socket;
        }

        ListenerHistory.Sample last() {
            return samples.isEmpty() ? null : samples.get(samples.size() - 1);
        }
    }

    /** An event with the socket track it belongs to, so that forgetting a socket forgets its events. */
    private record RecordedEvent(SocketTimeline.Event event, SocketTrack track) {
    }

    /** A listener from sample to sample: its address and its socket's inode, kept for a listener's whole life. */
    private record ListenerKey(InetSocketAddress local, long inode) {

        static ListenerKey of(Listener listener) {
            return new ListenerKey(listener.local(), listener.socket().inode());
        }
    }
}

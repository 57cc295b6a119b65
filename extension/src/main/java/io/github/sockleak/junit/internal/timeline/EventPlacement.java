package io.github.sockleak.junit.internal.timeline;

import io.github.sockleak.ListenerHistory;
import io.github.sockleak.SocketHistory;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.SocketTimeline.Event;
import io.github.sockleak.TcpSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which lane each marked event belongs on. Openings, state changes and departures show in the lanes themselves;
 * reuses, resets and ghosts are marked. A socket event goes to the lane of its 4-tuple (and cookie, where both
 * have one) whose life it starts (a reuse) or ends (a reset); a ghost to its listener's lane. An event no lane
 * matches is kept apart, so that it is still drawn.
 */
final class EventPlacement {

    static final Set<Event.Kind> MARKED = EnumSet.of(Event.Kind.REUSED, Event.Kind.RESET, Event.Kind.GHOST);

    private final List<List<Event>> bySocket = new ArrayList<>();
    private final List<List<Event>> byListener = new ArrayList<>();
    private final List<Event> unplaced = new ArrayList<>();

    private EventPlacement(SocketTimeline timeline) {
        timeline.sockets().forEach(socket -> bySocket.add(new ArrayList<>()));
        timeline.listeners().forEach(listener -> byListener.add(new ArrayList<>()));
        for (Event event : timeline.events()) {
            if (!MARKED.contains(event.kind())) {
                continue;
            }
            Optional<Integer> lane = event.kind() == Event.Kind.GHOST
                    ? listenerLane(timeline.listeners(), event.socket())
                    : socketLane(timeline, event);
            if (lane.isPresent()) {
                (event.kind() == Event.Kind.GHOST ? byListener : bySocket).get(lane.get()).add(event);
            } else {
                unplaced.add(event);
            }
        }
    }

    static EventPlacement of(SocketTimeline timeline) {
        return new EventPlacement(timeline);
    }

    List<Event> onSocket(int index) {
        return bySocket.get(index);
    }

    List<Event> onListener(int index) {
        return byListener.get(index);
    }

    /** Marked events that belong to no lane of the recording. */
    List<Event> unplaced() {
        return unplaced;
    }

    private static Optional<Integer> listenerLane(List<ListenerHistory> listeners, TcpSocket socket) {
        for (int i = 0; i < listeners.size(); i++) {
            if (listeners.get(i).socket().local().equals(socket.local())) {
                return Optional.of(i);
            }
        }
        for (int i = 0; i < listeners.size(); i++) {
            if (listeners.get(i).port() == socket.local().getPort()) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> socketLane(SocketTimeline timeline, Event event) {
        List<SocketHistory> sockets = timeline.sockets();
        Comparator<Integer> nearest = Comparator.comparing(i -> distance(sockets.get(i), event, timeline.length()));
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < sockets.size(); i++) {
            if (sameSocket(sockets.get(i).first(), event.socket())) {
                candidates.add(i);
            }
        }
        return candidates.stream().min(nearest);
    }

    private static boolean sameSocket(TcpSocket lane, TcpSocket event) {
        boolean cookies = lane.cookie().isPresent() && event.cookie().isPresent();
        return lane.local().equals(event.local()) && lane.remote().equals(event.remote())
                && (!cookies || lane.cookie().equals(event.cookie()));
    }

    /** How far the event is from the moment it should fall on in this lane: its start for a reuse, else its end. */
    private static Duration distance(SocketHistory lane, Event event, Duration length) {
        Duration moment = event.kind() == Event.Kind.REUSED
                ? lane.spans().isEmpty() ? Duration.ZERO : lane.spans().get(0).from()
                : lane.gone().orElse(length);
        return moment.minus(event.at()).abs();
    }
}

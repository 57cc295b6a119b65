package io.github.sockleak.internal.watch;

import io.github.sockleak.Listener;
import io.github.sockleak.TcpSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed from one look to the next, as the lines a watch prints: a socket appearing ({@code +}), going
 * ({@code -}), changing state or queues ({@code ~}), or replaced by a new socket on the same 4-tuple ({@code !}, the
 * seed's port reuse); a listener whose depth, visible children, ghosts or backlog changed; a row the kernel printed
 * that could not be read.
 *
 * <p>A socket is the same one from look to look when the kernel's cookie says so; without cookies ({@code /proc}),
 * when its inode did not change from one descriptor to another and its state could have followed the earlier one,
 * as {@link io.github.sockleak.SocketDiff} decides.
 */
public final class WatchChanges {

    private WatchChanges() {
    }

    public static List<String> between(WatchView before, WatchView after) {
        List<String> lines = new ArrayList<>();
        sockets(before.sockets(), after.sockets(), lines);
        listeners(before.listeners(), after.listeners(), lines);
        for (String row : after.skippedRows()) {
            if (!before.skippedRows().contains(row)) {
                lines.add("? " + WatchView.skipped(row));
            }
        }
        return lines;
    }

    private static void sockets(List<TcpSocket> before, List<TcpSocket> after, List<String> lines) {
        Map<FourTuple, List<TcpSocket>> earlier = byFourTuple(before);
        Map<FourTuple, List<TcpSocket>> later = byFourTuple(after);
        earlier.forEach((tuple, sockets) -> {
            if (!later.containsKey(tuple)) {
                sockets.forEach(gone -> lines.add("- " + gone));
            }
        });
        for (Map.Entry<FourTuple, List<TcpSocket>> entry : later.entrySet()) {
            List<TcpSocket> gone = new ArrayList<>(earlier.getOrDefault(entry.getKey(), List.of()));
            List<TcpSocket> fresh = new ArrayList<>(entry.getValue());
            for (Iterator<TcpSocket> now = fresh.iterator(); now.hasNext(); ) {
                TcpSocket current = now.next();
                TcpSocket previous = sameIn(gone, current);
                if (previous != null) {
                    gone.remove(previous);
                    now.remove();
                    if (!previous.toString().equals(current.toString())) {
                        lines.add("~ " + current + "  (was " + previous.state() + " " + previous.recvQ() + " "
                                + sendQ(previous) + ")");
                    }
                }
            }
            int replaced = Math.min(gone.size(), fresh.size());
            for (int i = 0; i < replaced; i++) {
                lines.add("! " + fresh.get(i) + "  (replaces " + gone.get(i).state() + " ino:" + gone.get(i).inode() + ")");
            }
            gone.subList(replaced, gone.size()).forEach(socket -> lines.add("- " + socket));
            fresh.subList(replaced, fresh.size()).forEach(socket -> lines.add("+ " + socket));
        }
    }

    private static TcpSocket sameIn(List<TcpSocket> candidates, TcpSocket later) {
        for (TcpSocket earlier : candidates) {
            if (same(earlier, later)) {
                return earlier;
            }
        }
        return null;
    }

    private static boolean same(TcpSocket before, TcpSocket after) {
        if (before.cookie().isPresent() && after.cookie().isPresent()) {
            return before.cookie().getAsLong() == after.cookie().getAsLong();
        }
        boolean inodesConflict = before.inode() != 0 && after.inode() != 0 && before.inode() != after.inode();
        return !inodesConflict && before.state().canBecome(after.state());
    }

    /** The Send-Q column as the row prints it: a listener's {@code ?} stays {@code ?}. */
    private static String sendQ(TcpSocket socket) {
        return socket.toString().trim().split("\\s+")[2];
    }

    private static void listeners(List<Listener> before, List<Listener> after, List<String> lines) {
        Map<ListenerKey, String> earlier = new LinkedHashMap<>();
        Map<ListenerKey, Listener> earlierListeners = new LinkedHashMap<>();
        for (Listener listener : before) {
            earlier.put(ListenerKey.of(listener), WatchView.summary(listener));
            earlierListeners.put(ListenerKey.of(listener), listener);
        }
        for (Listener listener : after) {
            ListenerKey key = ListenerKey.of(listener);
            String summary = WatchView.summary(listener);
            if (!summary.equals(earlier.get(key))) {
                Listener previous = earlierListeners.get(key);
                boolean ghostAppeared = listener.ghosts() > (previous == null ? 0 : previous.ghosts());
                lines.add("  " + summary + (ghostAppeared ? "  <- a ghost appeared: counted in the queue, in no table" : ""));
            }
        }
    }

    private record FourTuple(InetSocketAddress local, InetSocketAddress remote) {

        FourTuple {
            Objects.requireNonNull(local);
            Objects.requireNonNull(remote);
        }
    }

    private static Map<FourTuple, List<TcpSocket>> byFourTuple(List<TcpSocket> sockets) {
        Map<FourTuple, List<TcpSocket>> index = new LinkedHashMap<>();
        for (TcpSocket socket : sockets) {
            index.computeIfAbsent(new FourTuple(socket.local(), socket.remote()), t -> new ArrayList<>(1)).add(socket);
        }
        return index;
    }

    /** A listener from look to look: its address and its socket (the inode, kept for a listener's whole life). */
    private record ListenerKey(InetSocketAddress local, long inode) {

        static ListenerKey of(Listener listener) {
            return new ListenerKey(listener.local(), listener.socket().inode());
        }
    }
}

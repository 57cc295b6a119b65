package io.github.sockleak.internal.watch;

import io.github.sockleak.Listener;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.SsTable;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * What one look shows under a {@link Selection}: the sockets as {@code ss -tan} prints them, each listener's
 * accept queue, and the rows the kernel printed that could not be read.
 */
public final class WatchView {

    private final List<TcpSocket> sockets;
    private final List<Listener> listeners;
    private final List<String> skippedRows;

    private WatchView(List<TcpSocket> sockets, List<Listener> listeners, List<String> skippedRows) {
        this.sockets = List.copyOf(sockets);
        this.listeners = List.copyOf(listeners);
        this.skippedRows = List.copyOf(skippedRows);
    }

    public static WatchView of(SocketSnapshot snapshot, Selection selection) {
        List<TcpSocket> sockets = new ArrayList<>();
        for (TcpSocket socket : snapshot.all()) {
            if (selection.includes(socket)) {
                sockets.add(socket);
            }
        }
        List<Listener> listeners = new ArrayList<>();
        for (Listener listener : snapshot.allListeners()) {
            if (selection.includes(listener)) {
                listeners.add(listener);
            }
        }
        return new WatchView(sockets, listeners, snapshot.skippedRows());
    }

    /** Nothing seen yet: the view before the first look, against which everything appears. */
    static WatchView empty() {
        return new WatchView(List.of(), List.of(), List.of());
    }

    List<TcpSocket> sockets() {
        return sockets;
    }

    List<Listener> listeners() {
        return listeners;
    }

    List<String> skippedRows() {
        return skippedRows;
    }

    /** The whole view as {@code --once} prints it: the table, then one line per listener. */
    public List<String> table() {
        List<String> lines = new ArrayList<>();
        lines.add(SsTable.HEADER);
        for (TcpSocket socket : sockets) {
            lines.add(socket.toString());
        }
        for (Listener listener : listeners) {
            lines.add(summary(listener));
        }
        for (String skipped : skippedRows) {
            lines.add(skipped(skipped));
        }
        return lines;
    }

    /** {@code listener 127.0.0.1:12345 (another process's): depth 2, visible 1, ghosts 1, backlog 1}. */
    static String summary(Listener listener) {
        return "listener " + Addresses.ofListener(listener)
                + ": depth " + listener.acceptQueueDepth() + ", visible " + listener.queued().size()
                + ", ghosts " + listener.ghosts() + ", backlog " + backlog(listener.backlog());
    }

    private static String backlog(OptionalInt backlog) {
        return backlog.isPresent() ? Integer.toString(backlog.getAsInt()) : "? (not shown by /proc)";
    }

    static String skipped(String row) {
        return "skipped a row the kernel printed: " + row;
    }
}

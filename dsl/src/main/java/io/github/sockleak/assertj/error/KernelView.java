package io.github.sockleak.assertj.error;

import io.github.sockleak.Listener;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.internal.Addresses;
import io.github.sockleak.internal.SsTable;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** The pieces the messages share: sockets as {@code ss} rows, listeners with their queue, and the explanations. */
final class KernelView {

    static final String GHOSTS_EXPLAINED = "A ghost is a connection the accept queue still counts but no table shows:"
            + " a queued connection that was reset (for instance by a client reusing a CLOSE-WAIT child's port)"
            + " leaves every table, yet stays counted until the application calls accept().";

    static final String BACKLOG_UNKNOWN = "its backlog is unknown: the /proc source cannot see a listener's backlog;"
            + " the netlink source (JNA on JDK 17 to 21, native access enabled on JDK 22+) or the origins agent can.";

    private KernelView() {
    }

    static String table(Collection<TcpSocket> sockets) {
        return sockets.isEmpty() ? "(no socket)" : SsTable.of(sockets);
    }

    /** The listener's summary line, then its own row and the rows of the connections queued on it. */
    static String listener(Listener listener) {
        List<TcpSocket> rows = new ArrayList<>(listener.queued().size() + 1);
        rows.add(listener.socket());
        rows.addAll(listener.queued());
        return listener + System.lineSeparator() + SsTable.of(rows);
    }

    static String address(Listener listener) {
        return address(listener.local());
    }

    static String address(InetSocketAddress local) {
        return Addresses.format(local);
    }

    /** {@code CLOSE-WAIT}, or {@code CLOSE-WAIT or LISTEN}: the states as {@code ss} spells them. */
    static String states(TcpState... states) {
        return Arrays.stream(states).map(TcpState::toString).collect(Collectors.joining(" or "));
    }

    static String sockets(int count) {
        return count(count, "socket");
    }

    /** {@code 1 ghost}, {@code 2 ghosts}. */
    static String count(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}

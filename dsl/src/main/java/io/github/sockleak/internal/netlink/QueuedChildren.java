package io.github.sockleak.internal.netlink;

import io.github.sockleak.TcpState;
import io.github.sockleak.internal.RawSocketRow;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The connections queued on each of this process's listeners when its port was last dumped, so that the next read
 * can ask for them one by one instead of walking the namespace again.
 *
 * <p>A queue's members leave it only when they are accepted (a reset one stays, as a ghost) and arrive only by
 * raising its depth. So when a listener's depth equals the number of children remembered for it, and each of them
 * is still queued (the same socket by its cookie, still on no descriptor, still ESTABLISHED or CLOSE-WAIT, where an
 * accepted one has an inode and a closed one another state or none), the queue holds exactly those children. That
 * takes one lookup per child, whatever the namespace holds. Anything else (a child accepted, a ghost, a different
 * depth) needs a dump, which remembers the queue afresh.
 *
 * <p>Children are remembered only from a dump that shows one listener on their port, ours: then every queued
 * connection on the port is in its queue. Reads from parallel tests share what is remembered.
 */
final class QueuedChildren {

    /** Beyond this depth one dump costs less than the lookups. */
    private static final int MOST_LOOKUPS = 64;

    private final Map<Long, List<RawSocketRow>> byListenerCookie = new ConcurrentHashMap<>();

    /** The children remembered for {@code listener}, when there are as many as its depth now. */
    Optional<List<RawSocketRow>> candidates(RawSocketRow listener) {
        List<RawSocketRow> children = byListenerCookie.get(listener.cookie().orElseThrow());
        return children != null && children.size() == listener.recvQ() && children.size() <= MOST_LOOKUPS
                ? Optional.of(children) : Optional.empty();
    }

    /** Whether {@code now}, the kernel's answer for the remembered {@code child}, shows it still queued. */
    static boolean stillQueued(RawSocketRow child, Optional<RawSocketRow> now) {
        return now.filter(row -> row.cookie().equals(child.cookie()) && isQueued(row)).isPresent();
    }

    /**
     * Remembers the queue of {@code listener} from a dump of its port ({@code portRows}, every queued state), when
     * the dump shows no other listener there.
     */
    void learn(RawSocketRow listener, List<RawSocketRow> portRows) {
        long cookie = listener.cookie().orElseThrow();
        boolean alone = portRows.stream()
                .noneMatch(row -> row.state() == TcpState.LISTEN && !row.cookie().equals(listener.cookie()));
        boolean handshaking = portRows.stream().anyMatch(row -> row.state() == TcpState.SYN_RECV);
        if (!alone || handshaking) {
            byListenerCookie.remove(cookie); // a handshake in progress is on no list to look up
            return;
        }
        byListenerCookie.put(cookie, portRows.stream().filter(QueuedChildren::isQueued).collect(Collectors.toUnmodifiableList()));
    }

    /** Forgets the listeners not among {@code listening}, the cookies of this process's listeners now. */
    void retainOnly(Set<Long> listening) {
        byListenerCookie.keySet().retainAll(listening);
    }

    private static boolean isQueued(RawSocketRow row) {
        return row.inode() == 0 && (row.state() == TcpState.ESTABLISHED || row.state() == TcpState.CLOSE_WAIT);
    }
}

package io.github.sockleak.junit.internal;

import io.github.sockleak.Listener;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.TcpSocket;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What a check compares its probes with: the table before the test, or, when that says nothing more, only this
 * process's socket descriptors then. The descriptors are enough when the process held no listener and no port is
 * watched: every socket the test can leak is then on a descriptor it opened, or queued on a listener it opened.
 */
public abstract class Baseline {

    private Baseline() {
    }

    /** A snapshot taken before the test: sockets are matched by identity ({@link SocketSnapshot#since}). */
    static Baseline of(SocketSnapshot snapshot) {
        return new Table(snapshot);
    }

    /** This process's socket descriptors before the test, none of them a listener. */
    static Baseline ofDescriptors(Set<Long> inodes) {
        return new Descriptors(inodes);
    }

    /** Which sockets of {@code after} appeared during the check. */
    abstract Predicate<TcpSocket> openedIn(SocketSnapshot after);

    /** How many ghosts the listener had at the baseline. */
    abstract int ghostsBefore(Listener listener);

    /** The snapshot, when one was taken. */
    public abstract Optional<SocketSnapshot> snapshot();

    /** Whether, without reading a table, nothing can have leaked: no socket descriptor appeared since a descriptor baseline. */
    abstract boolean nothingNewSince();

    private static final class Table extends Baseline {
        private final SocketSnapshot snapshot;

        Table(SocketSnapshot snapshot) {
            this.snapshot = snapshot;
        }

        @Override
        Predicate<TcpSocket> openedIn(SocketSnapshot after) {
            return new HashSet<>(after.since(snapshot).opened())::contains;
        }

        @Override
        int ghostsBefore(Listener listener) {
            return snapshot.allListeners().stream() // another process's too: a watched port's listener is checked
                    .filter(earlier -> earlier.socket().inode() == listener.socket().inode())
                    .mapToInt(Listener::ghosts)
                    .findFirst()
                    .orElse(0);
        }

        @Override
        public Optional<SocketSnapshot> snapshot() {
            return Optional.of(snapshot);
        }

        @Override
        boolean nothingNewSince() {
            return false; // the table held a listener or watched sockets: only another table can tell
        }
    }

    private static final class Descriptors extends Baseline {
        private final Set<Long> inodes;

        Descriptors(Set<Long> inodes) {
            this.inodes = Set.copyOf(inodes);
        }

        /** A socket on a descriptor held before was there before; every listener is new, and so is its queue. */
        @Override
        Predicate<TcpSocket> openedIn(SocketSnapshot after) {
            return socket -> socket.inode() == 0 || !inodes.contains(socket.inode());
        }

        @Override
        int ghostsBefore(Listener listener) {
            return 0;
        }

        @Override
        public Optional<SocketSnapshot> snapshot() {
            return Optional.empty();
        }

        @Override
        boolean nothingNewSince() {
            return inodes.containsAll(SocketDescriptors.now());
        }
    }
}

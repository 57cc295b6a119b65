package io.github.sockleak.junit.internal.origins;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The origins of this JVM's open sockets, by the JDK object the application holds and by addresses.
 *
 * <p>Recording is cheap and lock-free, since it happens inside the application's socket calls and parallel tests
 * make them at the same time: the socket object and its origin go in, nothing else. Addresses are read later,
 * when a lookup needs them, for the open sockets whose addresses are not known yet. Nothing else keeps a record of
 * a socket: once it is closed its entry is garbage, and the garbage collector never has to process its weak
 * reference, which it would for every socket of a long test if a list of unresolved sockets held them.
 *
 * <p>An entry leaves when the application closes the socket, or when the socket object is garbage collected
 * without being closed; the table holds sockets weakly, so that it never keeps a leaked socket from being cleaned.
 * It holds no more entries than the JVM has open sockets. A socket collected while open was leaked, though the
 * JDK's cleaner then closes its descriptor and the kernel forgets it: the table keeps it as {@link AbandonedSocket}
 * until the check of its test takes it. The garbage collector clears the weak reference before the cleaner can
 * run, so a check that no longer sees the socket in the kernel finds it here.
 *
 * <p>A socket closed during a test is remembered a little longer, by its addresses: a connection a client left in
 * an accept queue outlives it, and a row read from the kernel just before the close names it; both are still that
 * test's.
 */
final class OriginTable {

    private final ConcurrentMap<Object, Entry> bySocket = new ConcurrentHashMap<>();
    private final ConcurrentMap<SocketKey, Entry> byKey = new ConcurrentHashMap<>();
    private final ReentrantLock resolving = new ReentrantLock();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final Queue<AbandonedSocket> abandoned = new ConcurrentLinkedQueue<>();
    private final RecentlyClosed recentlyClosed = new RecentlyClosed();
    /** Whether some entry may lack its addresses: set after recording, cleared by the lookup that reads them. */
    private volatile boolean unresolved;

    void opened(Object socket, Origin origin) {
        forgetCollected();
        Entry previous = bySocket.put(new Identity(socket, collected), new Entry(origin));
        if (previous != null) {
            previous.forgetKey(byKey);
        }
        // After the put, so that a lookup clearing the flag either sees this entry or leaves the flag set again.
        // Read first: between lookups the flag is already set, and a read costs less than a volatile write.
        if (!unresolved) {
            unresolved = true;
        }
    }

    /** Called as the application starts to close {@code socket}, while its addresses can still be read. */
    void closed(Object socket) {
        Entry entry = bySocket.remove(new Probe(socket));
        if (entry == null) {
            return;
        }
        entry.forgetKey(byKey);
        Origin origin = entry.origin;
        if (origin.test() != null) {
            SocketKey key = entry.key != null ? entry.key : SocketAddresses.keyOf(socket);
            if (key != null && key != SocketAddresses.NOT_INTERNET) {
                recentlyClosed.put(key, origin);
            }
        }
    }

    /** The origin of a test's socket that this JVM has closed lately; null if none is remembered. */
    Origin recentlyClosed(SocketKey key) {
        return recentlyClosed.get(key);
    }

    /** Takes the sockets collected while open whose origin satisfies {@code wanted}; the others stay. */
    List<AbandonedSocket> takeAbandoned(Predicate<Origin> wanted) {
        forgetCollected();
        // The reference queue is filled by a JVM thread some time after a collection: look for cleared ones too.
        for (Map.Entry<Object, Entry> recorded : bySocket.entrySet()) {
            if (((Identity) recorded.getKey()).get() == null && bySocket.remove(recorded.getKey(), recorded.getValue())) {
                abandon(recorded.getValue());
            }
        }
        List<AbandonedSocket> taken = new ArrayList<>();
        for (Iterator<AbandonedSocket> all = abandoned.iterator(); all.hasNext(); ) {
            AbandonedSocket socket = all.next();
            if (wanted.test(socket.origin())) {
                all.remove();
                taken.add(socket);
            }
        }
        return taken;
    }

    boolean isRecorded(Object socket) {
        return bySocket.containsKey(new Probe(socket));
    }

    Origin get(SocketKey key) {
        resolve();
        Entry entry = byKey.get(key);
        return entry == null ? null : entry.origin;
    }

    /** The backlog a listener of this JVM got, exactly or as a wildcard listener on the same port. */
    OptionalInt listenerBacklog(SocketKey listener) {
        Origin origin = get(listener);
        if (origin == null) {
            origin = get(listener.listenerOnAnyAddress());
        }
        return origin == null ? OptionalInt.empty() : origin.backlog();
    }

    /** How many sockets the table holds. */
    int size() {
        forgetCollected();
        return bySocket.size();
    }

    /** Reads the addresses of the open sockets recorded without them; a connect still in progress waits for the next lookup. */
    private void resolve() {
        resolving.lock();
        try {
            forgetCollected();
            if (unresolved) {
                unresolved = false;
                readAddresses();
            }
        } finally {
            resolving.unlock();
        }
    }

    private void readAddresses() {
        for (Map.Entry<Object, Entry> recorded : bySocket.entrySet()) {
            Entry entry = recorded.getValue();
            Object socket = ((Identity) recorded.getKey()).get();
            if (entry.key != null || socket == null) {
                continue; // known, or collected
            }
            SocketKey key = SocketAddresses.keyOf(socket);
            if (key == null) {
                unresolved = true;
            } else if (key == SocketAddresses.NOT_INTERNET) {
                bySocket.remove(recorded.getKey(), entry);
            } else {
                entry.key = key;
                byKey.put(key, entry);
                if (!bySocket.containsKey(recorded.getKey())) {
                    byKey.remove(key, entry); // closed while its addresses were read
                }
            }
        }
    }

    private void forgetCollected() {
        for (Object reference; (reference = collected.poll()) != null; ) {
            Entry entry = bySocket.remove(reference);
            if (entry != null) {
                abandon(entry);
            }
        }
    }

    /** An entry whose socket was collected without being closed; kept for its test's check, when it has one. */
    private void abandon(Entry entry) {
        entry.forgetKey(byKey);
        if (entry.origin.test() != null) {
            abandoned.add(new AbandonedSocket(entry.origin, entry.key));
        }
    }

    /**
     * Closed sockets by their addresses, the most recent few thousand: a bound, since a long run
     * closes millions, and what they leave behind is found by the next checks, within seconds of the close.
     */
    private static final class RecentlyClosed {
        private static final int REMEMBERED = 4096;

        private final Map<SocketKey, Origin> byKey = new LinkedHashMap<>(64, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<SocketKey, Origin> eldest) {
                return size() > REMEMBERED;
            }
        };

        synchronized void put(SocketKey key, Origin origin) {
            byKey.put(key, origin);
        }

        synchronized Origin get(SocketKey key) {
            return byKey.get(key);
        }
    }

    /** An origin, and the socket's addresses once read. */
    private static final class Entry {
        final Origin origin;
        volatile SocketKey key;

        Entry(Origin origin) {
            this.origin = origin;
        }

        void forgetKey(ConcurrentMap<SocketKey, Entry> byKey) {
            SocketKey known = key;
            if (known != null) {
                byKey.remove(known, this);
            }
        }
    }

    /** A socket object by identity, held weakly; equal to an {@code Identity} or {@code Probe} of the same live object. */
    private static final class Identity extends WeakReference<Object> {

        private final int hash;

        Identity(Object socket, ReferenceQueue<Object> queue) {
            super(socket, queue);
            this.hash = System.identityHashCode(socket);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            Object referent = get();
            return referent != null && other instanceof Identity && referent == ((Identity) other).get();
        }
    }

    /** A lookup by identity that allocates no reference: the map calls the argument's {@code equals}. */
    private static final class Probe {

        private final Object socket;

        Probe(Object socket) {
            this.socket = socket;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(socket);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Identity && ((Identity) other).get() == socket;
        }
    }
}

package io.github.sockleak.junit.internal.origins;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The origins of this JVM's open sockets, by the JDK object the application holds and by addresses.
 *
 * <p>Recording is cheap and lock-free, since it happens inside the application's socket calls and parallel tests
 * make them at the same time: the socket object and its origin go in, nothing else. Addresses are read later,
 * when a lookup needs them, for the sockets recorded since the last lookup that are still open.
 *
 * <p>An entry leaves when the application closes the socket, or when the socket object is garbage collected
 * without being closed (the JDK's cleaner then closes the descriptor behind our back); the table holds sockets
 * weakly, so that it never keeps a leaked socket from being cleaned. It holds no more entries than the JVM has
 * open sockets.
 */
final class OriginTable {

    /** Unresolved entries allowed to pile up between lookups before closed ones are pruned. */
    private static final int PRUNE_AFTER = 4096;

    private final ConcurrentMap<Object, Entry> bySocket = new ConcurrentHashMap<>();
    private final ConcurrentMap<SocketKey, Entry> byKey = new ConcurrentHashMap<>();
    /** Sockets whose addresses were not read yet; may still name sockets closed since, until pruned. */
    private final Queue<Identity> unresolved = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unresolvedSinceLookup = new AtomicInteger();
    private final ReentrantLock resolving = new ReentrantLock();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    void opened(Object socket, Origin origin) {
        forgetCollected();
        Identity identity = new Identity(socket, collected);
        Entry previous = bySocket.put(identity, new Entry(origin));
        if (previous != null) {
            previous.forgetKey(byKey);
        }
        unresolved.add(identity);
        if (unresolvedSinceLookup.incrementAndGet() > PRUNE_AFTER && resolving.tryLock()) {
            // Nobody looked anything up for a while (a long test opening many sockets): drop what was closed since.
            try {
                prune();
            } finally {
                resolving.unlock();
            }
        }
    }

    void closed(Object socket) {
        Entry entry = bySocket.remove(new Probe(socket));
        if (entry != null) {
            entry.forgetKey(byKey);
        }
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

    /** Reads the addresses of the sockets recorded since the last lookup; a connect still in progress waits for the next. */
    private void resolve() {
        resolving.lock();
        try {
            forgetCollected();
            readAddresses();
            unresolvedSinceLookup.set(0);
        } finally {
            resolving.unlock();
        }
    }

    private void readAddresses() {
        List<Identity> later = new ArrayList<>();
        for (Identity identity; (identity = unresolved.poll()) != null; ) {
            Object socket = identity.get();
            Entry entry = bySocket.get(identity);
            if (socket == null || entry == null) {
                continue; // collected or closed
            }
            SocketKey key = SocketAddresses.keyOf(socket);
            if (key == null) {
                later.add(identity);
            } else if (key == SocketAddresses.NOT_INTERNET) {
                bySocket.remove(identity, entry);
            } else {
                entry.key = key;
                byKey.put(key, entry);
                if (!bySocket.containsKey(identity)) {
                    byKey.remove(key, entry); // closed while its addresses were read
                }
            }
        }
        unresolved.addAll(later);
    }

    private void prune() {
        List<Identity> open = new ArrayList<>();
        for (Identity identity; (identity = unresolved.poll()) != null; ) {
            if (identity.get() != null && bySocket.containsKey(identity)) {
                open.add(identity);
            }
        }
        unresolved.addAll(open);
        unresolvedSinceLookup.set(0);
    }

    private void forgetCollected() {
        for (Object reference; (reference = collected.poll()) != null; ) {
            Entry entry = bySocket.remove(reference);
            if (entry != null) {
                entry.forgetKey(byKey);
            }
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

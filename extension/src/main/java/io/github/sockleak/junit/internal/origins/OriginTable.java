package io.github.sockleak.junit.internal.origins;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The origins of this JVM's open sockets, by the JDK object the application holds and by addresses. An entry
 * leaves when the application closes the socket, or when the socket object is garbage collected without being
 * closed (the JDK's cleaner then closes the descriptor behind our back), so the table holds no more entries
 * than the JVM has open sockets. Lock-free: parallel tests open and close sockets at the same time.
 */
final class OriginTable {

    private final ConcurrentMap<SocketKey, Origin> byKey = new ConcurrentHashMap<>();
    private final ConcurrentMap<Identity, Origin> bySocket = new ConcurrentHashMap<>();
    /** Non-blocking connects in progress: who called connect(), kept until the connection's addresses are known. */
    private final ConcurrentMap<Identity, Origin> connecting = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    void opened(Object socket, Origin origin) {
        forgetCollected();
        Origin replaced = bySocket.put(new Identity(socket, collected), origin);
        if (replaced != null && !replaced.key().equals(origin.key())) {
            byKey.remove(replaced.key(), replaced);
        }
        byKey.put(origin.key(), origin);
    }

    void closed(Object socket) {
        Identity identity = new Identity(socket, null);
        connecting.remove(identity);
        Origin origin = bySocket.remove(identity);
        if (origin != null) {
            byKey.remove(origin.key(), origin);
        }
    }

    boolean isRecorded(Object socket) {
        return bySocket.containsKey(new Identity(socket, null));
    }

    /** Keeps the origin of a connect that has not completed; the first one wins, as that is the application's call. */
    void connecting(Object socket, Origin caller) {
        forgetCollected();
        connecting.putIfAbsent(new Identity(socket, collected), caller);
    }

    /** The origin kept by {@link #connecting}, removed; null when the connect completed at once. */
    Origin connected(Object socket) {
        return connecting.remove(new Identity(socket, null));
    }

    Origin get(SocketKey key) {
        return byKey.get(key);
    }

    /** The backlog a listener of this JVM got, exactly or as a wildcard listener on the same port. */
    OptionalInt listenerBacklog(SocketKey listener) {
        Origin origin = byKey.get(listener);
        if (origin == null) {
            origin = byKey.get(listener.listenerOnAnyAddress());
        }
        return origin == null ? OptionalInt.empty() : origin.backlog();
    }

    /** How many sockets the table holds; only tests need to know. */
    int size() {
        forgetCollected();
        return bySocket.size();
    }

    private void forgetCollected() {
        for (Object reference; (reference = collected.poll()) != null; ) {
            connecting.remove(reference);
            Origin origin = bySocket.remove(reference);
            if (origin != null) {
                byKey.remove(origin.key(), origin);
            }
        }
    }

    /** A socket object by identity, held weakly; equal to another {@code Identity} of the same live object. */
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
            if (!(other instanceof Identity)) {
                return false;
            }
            Object referent = get();
            return referent != null && referent == ((Identity) other).get();
        }
    }
}

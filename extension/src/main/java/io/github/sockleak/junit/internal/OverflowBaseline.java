package io.github.sockleak.junit.internal;

import io.github.sockleak.TcpCounters;
import java.util.Optional;

/**
 * The namespace's counters from which a check on {@code /proc} counts listen overflows, where only the namespace
 * counts them. They mean something once this process listens, so they are read at the latest moment that still comes
 * before its first listener: at the check's start when the process may listen already or when nobody can tell when it
 * begins to; otherwise, with the origin agent, when it sees a listener bound after the start. The check of a test
 * that opens no listener then reads none: a reading is 150 µs, about a third of a clean check on {@code /proc}.
 *
 * <p>Read right after {@code listen()}, not before it: a queue overflows only once full, and no client can fill it in
 * the moment before the reading that follows.
 */
final class OverflowBaseline implements Runnable {

    private final SocketOrigins origins;
    private boolean waiting;
    private TcpCounters counters;

    private OverflowBaseline(SocketOrigins origins, boolean waiting) {
        this.origins = origins;
        this.waiting = waiting;
    }

    /** Counters read now; none when they cannot be read, the check's own verdict standing without them. */
    static OverflowBaseline now() {
        return atFirstListener(SocketOrigins.NONE); // which sees no listener, so reads now
    }

    /** Counters never read: where the check counts drops per listener (netlink). */
    static OverflowBaseline unneeded() {
        return new OverflowBaseline(SocketOrigins.NONE, false);
    }

    /** Counters read when {@code origins} sees this JVM's next listener bound, or now when it cannot see that. */
    static OverflowBaseline atFirstListener(SocketOrigins origins) {
        OverflowBaseline baseline = new OverflowBaseline(origins, true);
        if (!origins.onNextListener(baseline)) {
            baseline.run();
        }
        return baseline;
    }

    /** Reads the counters, once: as the check starts, or on the thread binding the first listener. */
    @Override
    public synchronized void run() {
        if (waiting) {
            waiting = false;
            counters = HandshakeDrops.countersNow().orElse(null);
        }
    }

    /** The counters read; empty when none were, or they could not be. */
    synchronized Optional<TcpCounters> counters() {
        return Optional.ofNullable(counters);
    }

    /**
     * Stops waiting for a listener. Whether the counters were still awaited then: a listener this process holds now
     * was not bound through the JDK's classes, and its overflows could not be counted.
     */
    synchronized boolean end() {
        origins.forget(this);
        boolean unread = waiting;
        waiting = false;
        return unread;
    }
}

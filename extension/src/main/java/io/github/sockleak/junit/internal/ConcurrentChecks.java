package io.github.sockleak.junit.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the per-test checks of this JVM that overlap in time. The kernel's table does not say which test
 * opened a socket, so when two checked tests run at once, one can be blamed for the other's leak; the report
 * says so rather than pretend.
 */
public final class ConcurrentChecks {

    private static final AtomicInteger RUNNING = new AtomicInteger();
    private static final AtomicLong STARTED = new AtomicLong();

    private final int runningAtStart;
    private final long startNumber;

    private ConcurrentChecks(int runningAtStart, long startNumber) {
        this.runningAtStart = runningAtStart;
        this.startNumber = startNumber;
    }

    public static ConcurrentChecks begin() {
        int running = RUNNING.getAndIncrement();
        return new ConcurrentChecks(running, STARTED.incrementAndGet());
    }

    /** Ends this check; returns how many other checks ran during some part of it. */
    public int end() {
        RUNNING.decrementAndGet();
        return runningAtStart + (int) (STARTED.get() - startNumber);
    }
}

package io.github.sockleak.junit.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which checks of this JVM overlapped in time. The kernel's table does not say which test opened a socket, so when
 * two checked tests run at once, one can be blamed for the other's leak; the report says so rather than pretend.
 *
 * <p>A check's window runs from before its baseline to after its last probe: a socket another test opens at any
 * moment of it can be seen. Two windows overlap exactly when one begins while the other runs, so each beginning
 * meets every running check, under one lock, and both remember the meeting.
 */
public final class ConcurrentChecks {

    private static final Set<ConcurrentChecks> RUNNING = new HashSet<>();

    private final String name;
    /** The other checks this one overlapped, by name; guarded by {@code RUNNING}. */
    private final List<String> overlapped = new ArrayList<>();

    private ConcurrentChecks(String name) {
        this.name = name;
    }

    /** @param name the test or class being checked, as a report names it */
    public static ConcurrentChecks begin(String name) {
        ConcurrentChecks check = new ConcurrentChecks(name);
        synchronized (RUNNING) {
            for (ConcurrentChecks other : RUNNING) {
                other.overlapped.add(name);
                check.overlapped.add(other.name);
            }
            RUNNING.add(check);
        }
        return check;
    }

    /** Ends this check's window; returns the other checks that ran during some part of it. */
    public List<String> end() {
        synchronized (RUNNING) {
            RUNNING.remove(this);
            return List.copyOf(overlapped);
        }
    }
}

package io.github.sockleak.junit.internal;

import io.github.sockleak.SocketDiff;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.internal.Polling;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Compares fresh snapshots with the baseline until no leak is left or the settle deadline passes. A server
 * thread closes its side when it runs, not when the test returns, so a leak only counts once it has had time to
 * go away: the verdict comes from a probe that began after the deadline, never from a slow one that began before.
 * A clean test passes on the first snapshot, without waiting.
 */
public final class LeakCheck {

    /**
     * The last comparison made and what it found.
     *
     * @param waited    from the first probe to the beginning of the last, which decided
     * @param lastProbe how long the last probe took
     */
    public record Outcome(SocketDiff diff, LeakFindings findings, Duration waited, Duration lastProbe) {
    }

    private LeakCheck() {
    }

    public static Outcome settle(SocketSnapshot baseline, LeakPolicy policy, Duration settle, Supplier<SocketSnapshot> snapshots) {
        // A test may end with its thread's interrupt flag set; its sockets still deserve the whole settle time.
        boolean interrupted = Thread.interrupted();
        try {
            Polling.Result<SocketDiff> result = Polling.until(
                    () -> snapshots.get().since(baseline),
                    diff -> policy.findLeaks(diff).isEmpty(),
                    settle);
            return new Outcome(result.value(), policy.findLeaks(result.value()), result.waited(), result.lastProbe());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

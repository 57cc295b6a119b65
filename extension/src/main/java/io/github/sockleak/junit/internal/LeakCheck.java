package io.github.sockleak.junit.internal;

import io.github.sockleak.SocketDiff;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.internal.Polling;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Compares fresh snapshots with the baseline until no leak is left or the settle deadline passes. A server
 * thread closes its side when it runs, not when the test returns, so a leak only counts once it has had time to
 * go away. A clean test passes on the first snapshot, without waiting.
 */
public final class LeakCheck {

    /** The last comparison made, and how long the check waited for the sockets to settle. */
    public record Outcome(SocketDiff diff, LeakFindings findings, Duration waited) {
    }

    private LeakCheck() {
    }

    public static Outcome settle(SocketSnapshot baseline, LeakPolicy policy, Duration settle, Supplier<SocketSnapshot> snapshots) {
        Polling.Result<SocketDiff> result = Polling.until(
                () -> snapshots.get().since(baseline),
                diff -> policy.findLeaks(diff).isEmpty(),
                settle);
        return new Outcome(result.value(), policy.findLeaks(result.value()), result.waited());
    }
}

package io.github.sockleak.junit.internal;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.internal.Polling;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Compares fresh snapshots with the baseline until no leak is left or the settle deadline passes. A server
 * thread closes its side when it runs, not when the test returns, so a leak only counts once it has had time to
 * go away: the verdict comes from a probe that began after the deadline, never from a slow one that began before.
 * A clean test passes on the first snapshot, without waiting, or without any snapshot when its baseline shows that
 * nothing can have leaked.
 */
public final class LeakCheck {

    /**
     * The last comparison made and what it found.
     *
     * @param after     the last probe; empty when none was needed
     * @param waited    from the first probe to the beginning of the last, which decided
     * @param lastProbe how long the last probe took
     */
    public record Outcome(Optional<SocketSnapshot> after, LeakFindings findings, Duration waited, Duration lastProbe) {
    }

    /** A snapshot and what it shows, judged once. */
    private record Probe(SocketSnapshot after, LeakFindings findings) {
    }

    private LeakCheck() {
    }

    public static Outcome settle(Baseline baseline, LeakPolicy policy, Duration settle, Supplier<SocketSnapshot> snapshots) {
        if (baseline.nothingNewSince()) {
            return new Outcome(Optional.empty(), new LeakFindings(List.of(), List.of(), List.of()), Duration.ZERO, Duration.ZERO);
        }
        // A test may end with its thread's interrupt flag set; its sockets still deserve the whole settle time.
        boolean interrupted = Thread.interrupted();
        try {
            Polling.Result<Probe> result = Polling.until(() -> {
                SocketSnapshot after = snapshots.get();
                return new Probe(after, policy.findLeaks(baseline, after));
            }, probe -> probe.findings().isEmpty(), settle);
            return new Outcome(Optional.of(result.value().after()), result.value().findings(), result.waited(),
                    result.lastProbe());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

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
     * @param lastProbeStartedNanos when the last probe began ({@link System#nanoTime()}); when none was needed, when
     *                              the check found that out
     */
    public record Outcome(Optional<SocketSnapshot> after, LeakFindings findings, Duration waited, Duration lastProbe,
                          long lastProbeStartedNanos) {
    }

    /** A snapshot and what it shows, judged once, and when the snapshot was begun. */
    private record Probe(SocketSnapshot after, LeakFindings findings, long startedNanos) {
    }

    private LeakCheck() {
    }

    public static Outcome settle(Baseline baseline, LeakPolicy policy, Duration settle, Supplier<SocketSnapshot> snapshots) {
        if (baseline.nothingNewSince()) {
            return new Outcome(Optional.empty(), new LeakFindings(List.of(), List.of(), List.of()), Duration.ZERO, Duration.ZERO,
                    System.nanoTime());
        }
        // A test may end with its thread's interrupt flag set; its sockets still deserve the whole settle time.
        boolean interrupted = Thread.interrupted();
        try {
            Polling.Result<Probe> result = Polling.until(() -> {
                long started = System.nanoTime();
                SocketSnapshot after = snapshots.get();
                return new Probe(after, policy.findLeaks(baseline, after), started);
            }, probe -> probe.findings().isEmpty(), settle);
            return new Outcome(Optional.of(result.value().after()), result.value().findings(), result.waited(),
                    result.lastProbe(), result.value().startedNanos());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

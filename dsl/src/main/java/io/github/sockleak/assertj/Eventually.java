package io.github.sockleak.assertj;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.internal.Polling;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/** Checks fresh snapshots until one passes or time is up; then reports the last failure, not the first. */
final class Eventually {

    private final Consumer<SocketSnapshot> check;
    private int snapshots;

    private Eventually(Consumer<SocketSnapshot> check) {
        this.check = check;
    }

    static SocketSnapshot check(Duration timeout, Consumer<SocketSnapshot> check) {
        Objects.requireNonNull(timeout, "timeout");
        Eventually eventually = new Eventually(Objects.requireNonNull(check, "check"));
        Polling.Result<Attempt> result = Polling.until(eventually::attempt, Attempt::passed, timeout);
        if (result.satisfied()) {
            return result.value().snapshot();
        }
        AssertionError last = result.value().failure();
        throw new AssertionError(String.format("%nStill failing after %d ms and %d snapshots; the last one failed with:%n%s",
                result.waited().toMillis(), eventually.snapshots, String.valueOf(last.getMessage()).stripLeading()), last);
    }

    private Attempt attempt() {
        snapshots++;
        SocketSnapshot snapshot = Sockets.snapshot();
        try {
            check.accept(snapshot);
            return new Attempt(snapshot, null);
        } catch (AssertionError failure) {
            return new Attempt(snapshot, failure);
        }
    }

    private record Attempt(SocketSnapshot snapshot, AssertionError failure) {

        boolean passed() {
            return failure == null;
        }
    }
}

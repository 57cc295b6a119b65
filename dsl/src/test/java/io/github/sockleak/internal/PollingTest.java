package io.github.sockleak.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The deadline rules, with probes whose cost is simulated: what they read does not matter here, only when. */
class PollingTest {

    @Test
    @DisplayName("a condition that holds at once costs one probe and no wait")
    void holdsAtOnce() {
        AtomicInteger probes = new AtomicInteger();

        Polling.Result<Integer> result = Polling.until(probes::incrementAndGet, n -> true, Duration.ofSeconds(10));

        assertThat(result.satisfied()).isTrue();
        assertThat(probes).hasValue(1);
        assertThat(result.waited()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    @DisplayName("decides by a probe begun at the deadline, and begins none that would still run when it passes")
    void slowProbesEndOnceAfterTheDeadline() {
        Duration timeout = Duration.ofMillis(300);
        Duration cost = Duration.ofMillis(200);
        AtomicInteger probes = new AtomicInteger();

        Polling.Result<Integer> result = Polling.until(() -> {
            spend(cost);
            return probes.incrementAndGet();
        }, n -> false, timeout);

        assertThat(result.satisfied()).isFalse();
        assertThat(result.waited()).as("the deciding probe begins at the deadline, not before").isGreaterThanOrEqualTo(timeout);
        // The first probe ends at 200 ms; a second begun then would still run at 300 ms, so it begins at 300 ms and decides.
        assertThat(probes).as("probes").hasValue(2);
    }

    /** Takes at least {@code duration}, as a slow read of the kernel does. */
    private static void spend(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
        }
    }
}

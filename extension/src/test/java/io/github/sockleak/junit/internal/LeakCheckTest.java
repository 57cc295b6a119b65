package io.github.sockleak.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.testing.Loopback;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Settling a check")
class LeakCheckTest {

    private static final Duration SETTLE = Duration.ofMillis(300);

    private final Loopback net = new Loopback();
    private final LeakSettings settings = new SettingsResolver(key -> Optional.ofNullable(Map.of(
            "sockleak.settle", SETTLE.toMillis() + "ms").get(key))).configured();

    @AfterEach
    void close() {
        net.close();
    }

    @Test
    @DisplayName("decides from a probe begun after the deadline, not from a slow one begun before it")
    void slowProbe() throws IOException {
        AtomicInteger probes = new AtomicInteger();
        LeakCheck.Outcome outcome = settleACloseWaitClosedDuringTheFirstProbe(probes, () -> {
            long end = System.nanoTime() + SETTLE.toNanos() + Duration.ofMillis(50).toNanos();
            while (System.nanoTime() - end < 0) {
                LockSupport.parkNanos(end - System.nanoTime()); // a probe slower than the whole settle time
            }
        });

        assertThat(outcome.findings().isEmpty()).as("found %s", outcome.findings()).isTrue();
        assertThat(probes).hasValue(2);
        assertThat(outcome.waited()).isGreaterThanOrEqualTo(SETTLE);
    }

    @Test
    @DisplayName("waits out a late close when the test left its thread interrupted, and gives the flag back")
    void interrupted() throws IOException {
        AtomicInteger probes = new AtomicInteger();
        Thread.currentThread().interrupt();
        LeakCheck.Outcome outcome;
        try {
            outcome = settleACloseWaitClosedDuringTheFirstProbe(probes, () -> { });
        } finally {
            assertThat(Thread.interrupted()).as("the test's interrupt flag is set again").isTrue();
        }

        assertThat(outcome.findings().isEmpty()).as("found %s", outcome.findings()).isTrue();
        assertThat(probes.get()).isGreaterThanOrEqualTo(2);
    }

    /**
     * Settles a check whose server end is in CLOSE-WAIT until the first probe has read the table: then the server
     * closes it, and {@code restOfTheFirstProbe} runs before that probe returns what it read.
     */
    private LeakCheck.Outcome settleACloseWaitClosedDuringTheFirstProbe(AtomicInteger probes, Runnable restOfTheFirstProbe)
            throws IOException {
        SocketSnapshot baseline = settings.snapshot();
        ServerSocket server = net.listen();
        net.connect(server.getLocalPort()).close();
        Socket accepted = net.accept(server);
        Supplier<SocketSnapshot> probe = () -> {
            SocketSnapshot snapshot = settings.snapshot(); // shows the accepted end in CLOSE-WAIT
            if (probes.getAndIncrement() == 0) {
                Loopback.close(accepted);
                restOfTheFirstProbe.run();
            }
            return snapshot;
        };
        return LeakCheck.settle(Baseline.of(baseline), new LeakPolicy(settings, SocketOrigins.NONE, null), SETTLE, probe);
    }
}

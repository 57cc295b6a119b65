package io.github.sockleak.junit.internal.timeline;

import static io.github.sockleak.junit.internal.timeline.RecordedTimelines.ms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.SocketTimeline.Phase;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The time scale")
class TimeScaleTest {

    @Test
    @DisplayName("without phases it is linear, from the left edge to the right")
    void linear() {
        TimeScale scale = TimeScale.of(timeline(ms(100), List.of()), 100, 1000);
        assertThat(scale.x(Duration.ZERO)).isEqualTo(100);
        assertThat(scale.x(ms(25))).isCloseTo(350, within(1e-9));
        assertThat(scale.x(ms(100))).isEqualTo(1100);
        assertThat(scale.x(ms(500))).as("past the end").isEqualTo(1100);
        assertThat(scale.uniform()).isTrue();
        assertThat(scale.ticks()).extracting(TimeScale.Tick::label)
                .containsExactly("0", "10", "20", "30", "40", "50", "60", "70", "80", "90", "100");
    }

    @Test
    @DisplayName("a short test beside a long settle gets a readable share of the width, the changes' half")
    void shortTestLongSettle() {
        SocketTimeline leak = RecordedTimelines.closeWaitLeak();
        TimeScale scale = TimeScale.of(leak, 0, 1000);
        Phase test = leak.phases().get(1);
        assertThat(scale.x(test.to()) - scale.x(test.from())).as("the test's width, 4 ms of 1006").isGreaterThan(400);
        for (Phase phase : leak.phases()) {
            assertThat(scale.x(phase.to()) - scale.x(phase.from())).as(phase.name()).isGreaterThanOrEqualTo(100 - 1e-9);
        }
        assertThat(scale.uniform()).isFalse();
    }

    @Test
    @DisplayName("x grows with time across every boundary, and the ticks stay in order and apart")
    void monotonic() {
        TimeScale scale = TimeScale.of(RecordedTimelines.closeWaitLeak(), 0, 1000);
        double previous = -1;
        for (double millis = 0; millis <= 1006.4; millis += 0.1) {
            double x = scale.x(millis);
            assertThat(x).isGreaterThan(previous);
            previous = x;
        }
        List<TimeScale.Tick> ticks = scale.ticks();
        for (int i = 1; i < ticks.size(); i++) {
            assertThat(ticks.get(i).x()).isGreaterThan(ticks.get(i - 1).x());
        }
        assertThat(ticks).filteredOn(tick -> !tick.boundary()).extracting(TimeScale.Tick::label)
                .allSatisfy(label -> assertThat(label).matches("\\d+(\\.\\d+)?"));
    }

    @Test
    @DisplayName("a recording of no length draws everything at the left edge")
    void noLength() {
        TimeScale scale = TimeScale.of(timeline(Duration.ZERO, List.of(new Phase("test", Duration.ZERO, Duration.ZERO))), 50, 500);
        assertThat(scale.x(ms(3))).isEqualTo(50);
        assertThat(scale.ticks()).isEmpty();
    }

    @Test
    @DisplayName("tick steps are 1, 2 or 5 times a power of ten")
    void roundSteps() {
        assertThat(TimeScale.roundStep(0.07)).isCloseTo(0.1, within(1e-12));
        assertThat(TimeScale.roundStep(1.3)).isEqualTo(2);
        assertThat(TimeScale.roundStep(3)).isEqualTo(5);
        assertThat(TimeScale.roundStep(5)).isEqualTo(5);
        assertThat(TimeScale.roundStep(730)).isEqualTo(1000);
    }

    private static SocketTimeline timeline(Duration length, List<Phase> phases) {
        return new SocketTimeline(RecordedTimelines.STARTED, length, ms(1), SnapshotSource.NETLINK, 1, false, phases,
                List.of(), List.of(), List.of());
    }
}

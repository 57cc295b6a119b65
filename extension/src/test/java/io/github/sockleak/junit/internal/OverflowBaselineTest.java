package io.github.sockleak.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SsText;
import io.github.sockleak.TcpCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** When a check on {@code /proc} reads the namespace's counters, and what it says when it could not. */
@DisplayName("The counters a check on /proc counts listen overflows from")
class OverflowBaselineTest {

    /** Origins that see listeners: the action waits in a list until the test binds one by running it. */
    private static final class ListenerWatch implements SocketOrigins {
        final List<Runnable> waiting = new ArrayList<>();

        @Override
        public boolean onNextListener(Runnable action) {
            waiting.add(action);
            return true;
        }

        @Override
        public void forget(Runnable action) {
            waiting.remove(action);
        }

        void listenerBound() {
            new ArrayList<>(waiting).forEach(action -> {
                waiting.remove(action);
                action.run();
            });
        }
    }

    @Test
    @DisplayName("without the agent: read at the start")
    void withoutAgent() {
        OverflowBaseline baseline = OverflowBaseline.atFirstListener(SocketOrigins.NONE);

        assertThat(baseline.counters()).get().extracting(TcpCounters::listenOverflows).isNotNull();
        assertThat(baseline.end()).as("still awaited at the end").isFalse();
    }

    @Test
    @DisplayName("with the agent: read when the first listener is bound, not before")
    void atFirstListener() {
        ListenerWatch origins = new ListenerWatch();
        OverflowBaseline baseline = OverflowBaseline.atFirstListener(origins);
        assertThat(baseline.counters()).as("before any listener").isEmpty();

        origins.listenerBound();

        assertThat(baseline.counters()).as("after the first listener").isPresent();
        assertThat(baseline.end()).as("still awaited at the end").isFalse();
    }

    @Test
    @DisplayName("with the agent and no listener bound: none read, none awaited after the end")
    void noListener() {
        ListenerWatch origins = new ListenerWatch();
        OverflowBaseline baseline = OverflowBaseline.atFirstListener(origins);

        assertThat(baseline.end()).as("still awaited at the end").isTrue();
        assertThat(origins.waiting).as("the agent's actions after the end").isEmpty();
        assertThat(baseline.counters()).isEmpty();
        assertThat(baseline.end()).as("a second end").isFalse();
    }

    @Nested
    @DisplayName("a listener held at the end whose overflows were not counted")
    class Uncounted {

        private static final String OWN_LISTENER = "LISTEN 0 50 127.0.0.1:5000 *:* ino:11 own\n";

        @Test
        @DisplayName("on /proc: a note naming the check and the listener's address")
        void procfs() {
            assertThat(HandshakeDrops.uncounted("Leaky.test()", Optional.of(SsText.snapshot(SnapshotSource.PROCFS, OWN_LISTENER)), Set.of()))
                    .hasValueSatisfying(note -> assertThat(note)
                            .startsWith("sockleak: Leaky.test() opened a listener on 127.0.0.1:5000 without the JDK's bind()")
                            .contains("listen overflows during the test were not counted"));
        }

        @Test
        @DisplayName("nothing on netlink, for another process's listener, on an ignored port, or without a probe")
        void nothing() {
            assertThat(HandshakeDrops.uncounted("t", Optional.of(SsText.snapshot(SnapshotSource.NETLINK, OWN_LISTENER)), Set.of())).isEmpty();
            assertThat(HandshakeDrops.uncounted("t", Optional.of(SsText.snapshot(SnapshotSource.PROCFS,
                    OWN_LISTENER.replace(" own", ""))), Set.of())).isEmpty();
            assertThat(HandshakeDrops.uncounted("t", Optional.of(SsText.snapshot(SnapshotSource.PROCFS, OWN_LISTENER)), Set.of(5000))).isEmpty();
            assertThat(HandshakeDrops.uncounted("t", Optional.empty(), Set.of())).isEmpty();
        }
    }
}

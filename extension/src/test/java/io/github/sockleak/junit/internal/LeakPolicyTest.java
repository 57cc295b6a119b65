package io.github.sockleak.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.SsText;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** What a leak is, decided from tables written the way {@code ss} prints them: no kernel involved, every case exact. */
@DisplayName("What counts as a leak")
class LeakPolicyTest {

    private static final String OWN_LISTENER = "LISTEN 0 50 127.0.0.1:5000 *:* ino:11 own\n";

    @TestFactory
    Stream<DynamicTest> cases() {
        return Stream.of(
                new Case("an own socket that turned up in CLOSE-WAIT", "",
                        "CLOSE-WAIT 1 0 127.0.0.1:6000 127.0.0.1:40000 ino:21 own", Map.of(), 1, 0, 0),
                new Case("an own CLOSE-WAIT socket that was there before", "CLOSE-WAIT 1 0 127.0.0.1:6000 127.0.0.1:40000 ino:21 own",
                        "CLOSE-WAIT 1 0 127.0.0.1:6000 127.0.0.1:40000 ino:21 own", Map.of(), 0, 0, 0),
                new Case("an own socket that turned up ESTABLISHED", "",
                        "ESTAB 0 0 127.0.0.1:6000 127.0.0.1:40000 ino:21 own", Map.of(), 0, 0, 0),
                new Case("another process's CLOSE-WAIT", "",
                        "CLOSE-WAIT 1 0 127.0.0.1:6000 127.0.0.1:40000 ino:99", Map.of(), 0, 0, 0),
                new Case("another process's CLOSE-WAIT on a watched port", "",
                        "CLOSE-WAIT 1 0 127.0.0.1:6000 127.0.0.1:40000 ino:99", Map.of("sockleak.watchPorts", "6000"), 1, 0, 0),
                new Case("an orphan on a watched port", "",
                        "LAST-ACK 1 1 127.0.0.1:6000 127.0.0.1:40000 ino:0", Map.of("sockleak.watchPorts", "6000"), 0, 0, 0),
                new Case("a closed client's connection never accepted", OWN_LISTENER,
                        OWN_LISTENER.replace("LISTEN 0", "LISTEN 1") + "CLOSE-WAIT 1 0 127.0.0.1:5000 127.0.0.1:40000 ino:0",
                        Map.of(), 1, 1, 0),
                new Case("an open client's connection never accepted", OWN_LISTENER,
                        OWN_LISTENER.replace("LISTEN 0", "LISTEN 1") + "ESTAB 0 0 127.0.0.1:5000 127.0.0.1:40000 ino:0",
                        Map.of(), 0, 1, 0),
                new Case("a ghost that appeared: depth 2, one child in sight", OWN_LISTENER,
                        OWN_LISTENER.replace("LISTEN 0", "LISTEN 2") + "ESTAB 0 0 127.0.0.1:5000 127.0.0.1:40000 ino:0",
                        Map.of(), 0, 1, 1),
                new Case("a ghost that was there before", OWN_LISTENER.replace("LISTEN 0", "LISTEN 1"),
                        OWN_LISTENER.replace("LISTEN 0", "LISTEN 1"), Map.of(), 0, 0, 0),
                new Case("a leak on an ignored port", OWN_LISTENER,
                        OWN_LISTENER.replace("LISTEN 0", "LISTEN 1") + "CLOSE-WAIT 1 0 127.0.0.1:5000 127.0.0.1:40000 ino:0",
                        Map.of("sockleak.ignorePorts", "5000"), 0, 0, 0),
                new Case("a leak to an ignored peer port", "",
                        "CLOSE-WAIT 1 0 127.0.0.1:6000 127.0.0.1:40000 ino:21 own", Map.of("sockleak.ignorePorts", "40000"), 0, 0, 0),
                new Case("CLOSE-WAIT when only LISTEN fails", "",
                        "CLOSE-WAIT 1 0 127.0.0.1:6000 127.0.0.1:40000 ino:21 own", Map.of("sockleak.failOn", "LISTEN"), 0, 0, 0)
        ).map(c -> DynamicTest.dynamicTest(c.name, c::check));
    }

    @TestFactory
    @DisplayName("with only the descriptors held before the test as its baseline")
    Stream<DynamicTest> descriptorBaseline() {
        return Stream.of(
                new DescriptorCase("a socket on a descriptor held before, now in CLOSE-WAIT", Set.of(21L),
                        "CLOSE-WAIT 1 0 127.0.0.1:6000 127.0.0.1:40000 ino:21 own", 0, 0),
                new DescriptorCase("a socket on a new descriptor in CLOSE-WAIT", Set.of(21L),
                        "CLOSE-WAIT 1 0 127.0.0.1:6000 127.0.0.1:40000 ino:22 own", 1, 0),
                new DescriptorCase("a new listener's never-accepted, closed client", Set.of(),
                        OWN_LISTENER.replace("LISTEN 0", "LISTEN 2") + "CLOSE-WAIT 1 0 127.0.0.1:5000 127.0.0.1:40000 ino:0", 1, 1),
                new DescriptorCase("another process's CLOSE-WAIT", Set.of(),
                        "CLOSE-WAIT 1 0 127.0.0.1:6000 127.0.0.1:40000 ino:99", 0, 0)
        ).map(c -> DynamicTest.dynamicTest(c.name, c::check));
    }

    private record DescriptorCase(String name, Set<Long> descriptors, String after, int leaked, int acceptQueues) {

        void check() {
            LeakSettings settings = new SettingsResolver(key -> Optional.empty()).configured();
            LeakFindings findings = new LeakPolicy(settings, SocketOrigins.NONE, null)
                    .findLeaks(Baseline.ofDescriptors(descriptors), SsText.snapshot(SnapshotSource.PROCFS, after));

            assertThat(findings.leaked()).as("leaked").hasSize(leaked);
            assertThat(findings.acceptQueues()).as("accept queues").hasSize(acceptQueues);
        }
    }

    private record Case(String name, String before, String after, Map<String, String> configuration,
                        int leaked, int acceptQueues, int newGhosts) {

        void check() {
            LeakSettings settings = new SettingsResolver(key -> Optional.ofNullable(configuration.get(key))).configured();
            SocketSnapshot baseline = SsText.snapshot(SnapshotSource.PROCFS, before);
            SocketSnapshot now = SsText.snapshot(SnapshotSource.PROCFS, after);

            LeakFindings findings = new LeakPolicy(settings, SocketOrigins.NONE, null).findLeaks(Baseline.of(baseline), now);

            assertThat(findings.leaked()).as("leaked").hasSize(leaked);
            assertThat(findings.acceptQueues()).as("accept queues").hasSize(acceptQueues);
            assertThat(findings.acceptQueues().stream().mapToInt(LeakFindings.AcceptQueueLeak::newGhosts).sum())
                    .as("new ghosts").isEqualTo(newGhosts);
        }
    }
}

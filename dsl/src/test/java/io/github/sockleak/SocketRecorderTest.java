package io.github.sockleak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.sockleak.internal.Polling;
import io.github.sockleak.internal.SocketTable;
import io.github.sockleak.testing.Loopback;
import io.github.sockleak.testing.NetlinkAvailability;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Recordings of real loopback sockets, on each source: at moments the test chooses, a snapshot of its own is taken,
 * and the timeline must show, at that moment, the state and the queue the snapshot shows.
 */
@DisplayName("A recording of real sockets agrees with snapshots taken at the same moments")
class SocketRecorderTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Supplier<SocketSnapshot> NOTHING = () -> SnapshotBuilder.build(SnapshotSource.NETLINK,
            SnapshotCoverage.PROCESS, "no socket", new SocketTable(List.of(), List.of(), Set.of()));

    private final Loopback net = new Loopback();

    @AfterEach
    void closeSockets() {
        net.close();
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(SnapshotSource.class)
    @DisplayName("a connection the peer closed, left in CLOSE-WAIT: ESTAB, then CLOSE-WAIT to the end")
    void closeWaitLeak(SnapshotSource source) {
        SocketRecorder recorder = start(source);
        ServerSocket server = net.listen();
        Socket client = net.connect(server.getLocalPort());
        Socket accepted = net.accept(server);
        Predicate<TcpSocket> clientRow = Loopback.endOf(client);
        List<Moment> moments = new ArrayList<>();
        moments.add(Moment.take(recorder, source, "connected", clientRow));

        Loopback.close(accepted);
        awaitOwn(source, "the client in CLOSE-WAIT", clientRow.and(socket -> socket.state() == TcpState.CLOSE_WAIT));
        moments.add(Moment.take(recorder, source, "peer closed", clientRow));
        SocketTimeline timeline = recorder.stop();

        for (Moment moment : moments) {
            SocketHistory history = timeline.socket(moment.socket).orElseThrow(() -> new AssertionError(
                    "no history for " + moment.socket + " in " + timeline.sockets()));
            assertThat(history.stateAt(moment.at(timeline))).as("the state at %s (%s)", moment.name, moment.at(timeline)).contains(moment.socket.state());
        }
        SocketHistory history = timeline.socket(moments.get(1).socket).orElseThrow();
        assertThat(history.summary()).matches("ESTAB [\\d,]+-[\\d,]+ ms -> CLOSE-WAIT [\\d,]+ ms-end");
        assertThat(history.timeIn(TcpState.CLOSE_WAIT)).isPositive();
        assertThat(timeline.events()).anyMatch(event -> event.kind() == SocketTimeline.Event.Kind.STATE
                && clientRow.test(event.socket()) && event.socket().state() == TcpState.CLOSE_WAIT);
        assertThat(timeline.source()).isEqualTo(source);
        assertThat(timeline.phases()).extracting(SocketTimeline.Phase::name).containsExactly("connected", "peer closed");
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(SnapshotSource.class)
    @DisplayName("the seed experiment: depth 2 with both children visible, then 3 with one ghost after the port reuse")
    void seedExperiment(SnapshotSource source) {
        SocketRecorder recorder = start(source);
        ServerSocket server = net.listen();
        int port = server.getLocalPort();
        InetSocketAddress serverEnd = (InetSocketAddress) server.getLocalSocketAddress();
        int firstPort = net.queueTwoClosedClients(port);
        InetSocketAddress firstClient = new InetSocketAddress(Loopback.IPV4, firstPort);
        Predicate<TcpSocket> firstChild = Loopback.fourTuple(serverEnd, firstClient);
        awaitOwn(source, "the first child in CLOSE-WAIT", firstChild.and(socket -> socket.state() == TcpState.CLOSE_WAIT));
        awaitListener(source, port, listener -> listener.acceptQueueDepth() == 2
                && listener.queued().stream().allMatch(child -> child.state() == TcpState.CLOSE_WAIT));
        Moment before = Moment.take(recorder, source, "two children in CLOSE-WAIT", firstChild);

        net.connectFrom(firstPort, port);
        awaitListener(source, port, listener -> listener.acceptQueueDepth() == 3 && listener.ghosts() == 1);
        Moment after = Moment.take(recorder, source, "the port reused", firstChild);
        SocketTimeline timeline = recorder.stop();

        ListenerHistory listener = timeline.listener(port).orElseThrow();
        for (Moment moment : List.of(before, after)) {
            Listener seen = moment.snapshot.listener(port).orElseThrow();
            ListenerHistory.Sample recorded = listener.at(moment.at(timeline)).orElseThrow();
            assertThat(List.of(recorded.depth(), recorded.queued(), recorded.ghosts()))
                    .as("depth, queued and ghosts at %s", moment.name)
                    .containsExactly(seen.acceptQueueDepth(), seen.queued().size(), seen.ghosts());
            assertThat(timeline.socket(moment.socket).orElseThrow().stateAt(moment.at(timeline))).as("the first child at %s", moment.name)
                    .contains(moment.socket.state());
        }
        assertThat(before.socket.state()).isEqualTo(TcpState.CLOSE_WAIT);
        assertThat(after.socket.state()).isEqualTo(TcpState.ESTABLISHED);
        // The successor's handshake can read SYN-RECV for a sample or two while its client reads ESTAB already (about
        // once in 700 runs here): the request socket, a history of its own unless the child kept its cookie.
        assertThat(timeline.sockets(serverEnd, firstClient)).as("the reset child and its successor")
                .extracting(SocketHistory::summary).asString()
                .matches("\\[(ESTAB [\\d,]+-[\\d,]+ ms -> )?CLOSE-WAIT [\\d,]+-[\\d,]+ ms -> gone, "
                        + "(SYN-RECV [\\d,]+-[\\d,]+ ms -> gone, )?(SYN-RECV [\\d,]+-[\\d,]+ ms -> )?ESTAB [\\d,]+ ms-end]");
        assertThat(listener.maxGhosts()).isEqualTo(1);
        // The clients may come and go between two samples: the listener can be first seen with its queue already full.
        assertThat(listener.summary()).matches("depth \\d( \\([\\d,]+ ms\\))?( -> \\d \\([\\d,]+ ms\\))* -> 3 \\([\\d,]+ ms\\); ghost at [\\d,]+ ms");
        assertThat(timeline.events()).extracting(SocketTimeline.Event::kind)
                .contains(SocketTimeline.Event.Kind.RESET, SocketTimeline.Event.Kind.REUSED, SocketTimeline.Event.Kind.GHOST);
    }

    @Test
    @DisplayName("the sampling thread is a daemon named sockleak-recorder; nothing is given twice")
    void daemonThread() {
        SocketRecorder recorder = SocketRecorder.start(Duration.ofMillis(5), Set.of());
        Thread sampler = samplerOf(recorder);
        assertThat(sampler.getName()).isEqualTo("sockleak-recorder");
        assertThat(sampler.isDaemon()).isTrue();
        recorder.stop();
        assertThatThrownBy(recorder::stop).isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped already");
        recorder.close(); // once stopped, closing is nothing
    }

    @Test
    @DisplayName("a stopped recording's thread runs the next recording, and ends once idle for its keep-alive time")
    void threadKeptForTheNextRecording() {
        RecorderThreads threads = new RecorderThreads(Duration.ofMillis(500));
        SocketRecorder first = new SocketRecorder(NOTHING, Duration.ofMillis(5), Set.of(), threads);
        Thread sampler = samplerOf(first);
        first.stop();
        // stop() does not wait for the thread to leave the recording; woken, it does at once.
        assertThat(Polling.until(threads::idle, idle -> idle == 1, PATIENCE).satisfied()).as("the thread is idle").isTrue();

        SocketRecorder second = new SocketRecorder(NOTHING, Duration.ofMillis(5), Set.of(), threads);
        assertThat(samplerOf(second)).as("the second recording's thread").isSameAs(sampler);
        int samples = second.samplesTaken();
        assertThat(Polling.until(second::samplesTaken, taken -> taken > samples, PATIENCE).satisfied())
                .as("the kept thread samples the second recording").isTrue();
        second.close();

        assertThat(Polling.until(() -> !sampler.isAlive(), ended -> ended, PATIENCE).satisfied())
                .as("the thread ended after half a second idle").isTrue();
        assertThat(threads.idle()).isZero();
    }

    @Test
    @DisplayName("a recording stopped before its first background sample is due never takes a thread")
    void shortRecordingTakesNoThread() {
        RecorderThreads threads = new RecorderThreads(Duration.ofMinutes(1));
        List<SocketRecorder> recorders = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            SocketRecorder closed = new SocketRecorder(NOTHING, Duration.ofHours(1), Set.of(), threads);
            recorders.add(closed);
            closed.close();
            SocketRecorder stopped = new SocketRecorder(NOTHING, Duration.ofHours(1), Set.of(), threads);
            recorders.add(stopped);
            assertThat(stopped.stop().samples()).isEqualTo(2);
        }
        assertThat(recorders).allSatisfy(recorder -> assertThat(recorder.sampler()).as("its thread").isNull());
        assertThat(threads.waiting()).as("recordings still waiting").isZero();
        assertThat(threads.idle()).as("threads started").isZero();
    }

    @Test
    @DisplayName("recordings side by side each sample on a thread of their own, however their intervals fall")
    void sideBySide() {
        RecorderThreads threads = new RecorderThreads(Duration.ofMinutes(1));
        // The long one waits first; the short ones, due sooner, must not wait behind it.
        SocketRecorder slow = new SocketRecorder(NOTHING, Duration.ofHours(1), Set.of(), threads);
        List<SocketRecorder> fast = List.of(new SocketRecorder(NOTHING, Duration.ofMillis(5), Set.of(), threads),
                new SocketRecorder(NOTHING, Duration.ofMillis(7), Set.of(), threads),
                new SocketRecorder(NOTHING, Duration.ofMillis(5), Set.of(), threads));
        for (SocketRecorder recorder : fast) {
            assertThat(Polling.until(recorder::samplesTaken, taken -> taken >= 3, PATIENCE).satisfied())
                    .as("a recording due in a few milliseconds samples in the background").isTrue();
        }
        assertThat(fast).extracting(SocketRecorder::sampler).doesNotContainNull().doesNotHaveDuplicates();
        assertThat(slow.sampler()).as("the recording due in an hour's thread").isNull();
        assertThat(threads.waiting()).isOne();
        fast.forEach(SocketRecorder::close);
        slow.close();
        assertThat(threads.waiting()).isZero();
        assertThat(Polling.until(threads::idle, idle -> idle == 3, PATIENCE).satisfied()).as("the three threads idle").isTrue();
    }

    @Test
    @DisplayName("a thread the JVM cannot start fails the recording it was for, loudly, and the next one tries again")
    void threadThatCannotStart() {
        AtomicInteger made = new AtomicInteger();
        // The first thread made (the dispatcher) starts; every later one (a recording's) fails as the JVM does.
        RecorderThreads workersFail = new RecorderThreads(Duration.ofMinutes(1), body -> made.getAndIncrement() == 0
                ? new Thread(body, "sockleak-recorder") : unstartable(body));
        SocketRecorder recording = new SocketRecorder(NOTHING, Duration.ofMillis(5), Set.of(), workersFail);
        assertThat(Polling.until(made::get, count -> count >= 2, PATIENCE).satisfied()).as("a thread asked for").isTrue();
        assertThatThrownBy(recording::stop).isInstanceOf(SocketSnapshotException.class)
                .hasMessageContaining("would have a gap").hasMessageContaining("no thread could be started")
                .hasRootCauseMessage("unable to create native thread: possibly out of memory");

        AtomicInteger dispatchers = new AtomicInteger();
        RecorderThreads firstFails = new RecorderThreads(Duration.ofMinutes(1), body -> dispatchers.getAndIncrement() == 0
                ? unstartable(body) : new Thread(body, "sockleak-recorder"));
        assertThatThrownBy(() -> new SocketRecorder(NOTHING, Duration.ofMillis(5), Set.of(), firstFails))
                .isInstanceOf(OutOfMemoryError.class);
        assertThat(firstFails.waiting()).isZero();
        SocketRecorder next = new SocketRecorder(NOTHING, Duration.ofMillis(5), Set.of(), firstFails);
        assertThat(Polling.until(next::samplesTaken, taken -> taken >= 3, PATIENCE).satisfied())
                .as("the next recording samples in the background").isTrue();
        assertThat(next.stop().samples()).isGreaterThanOrEqualTo(3);
    }

    /** A thread whose start fails as the JVM's does when it can make no more native threads. */
    private static Thread unstartable(Runnable body) {
        return new Thread(body, "sockleak-recorder") {
            @Override
            public synchronized void start() {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
            }
        };
    }

    @Test
    @DisplayName("stop takes a last sample and gives the timeline; close drops the recording without one")
    void stopSamplesCloseDrops() {
        AtomicInteger reads = new AtomicInteger();
        Supplier<SocketSnapshot> counted = () -> {
            reads.incrementAndGet();
            return SnapshotBuilder.build(SnapshotSource.NETLINK, SnapshotCoverage.PROCESS, "no socket",
                    new SocketTable(List.of(), List.of(), Set.of()));
        };
        // An hour between samples: only the first, stop's and close's reads can happen.
        SocketRecorder stopped = new SocketRecorder(counted, Duration.ofHours(1), Set.of());
        assertThat(reads).hasValue(1);
        assertThat(stopped.stop().samples()).isEqualTo(2);
        assertThat(reads).hasValue(2);

        SocketRecorder closed = new SocketRecorder(counted, Duration.ofHours(1), Set.of());
        closed.close();
        assertThat(reads).as("the first read only").hasValue(3);
        assertThatThrownBy(closed::stop).isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped already");
        assertThatThrownBy(closed::sampleNow).isInstanceOf(IllegalStateException.class);
        closed.close(); // closing twice is nothing
    }

    @Test
    @DisplayName("a sample is stamped when its read ends: a listener that a read under way found is not seen before a phase begun meanwhile")
    void sampleStampedWhenItsReadEnds() throws Exception {
        SocketSnapshot before = Sockets.ownSnapshot(Set.of());
        ServerSocket server = net.listen();
        SocketSnapshot after = Sockets.ownSnapshot(Set.of());
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        // The kernel's answers, read above; the second is handed over only once the test has begun a phase.
        Supplier<SocketSnapshot> snapshots = () -> {
            if (reads.incrementAndGet() == 1) {
                return before;
            }
            reading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return after;
        };
        SocketRecorder recorder = new SocketRecorder(snapshots, Duration.ofMillis(1), Set.of());
        assertThat(reading.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("the second sample's read began").isTrue();
        recorder.phase("begun while a read was under way");
        release.countDown();
        SocketTimeline timeline = recorder.stop();

        Duration phaseBegan = timeline.phases().get(0).from();
        ListenerHistory listener = timeline.listener(server.getLocalPort()).orElseThrow();
        assertThat(listener.samples().get(0).at()).as("when the listener was first seen").isGreaterThanOrEqualTo(phaseBegan);
        assertThat(listener.at(phaseBegan.minusNanos(1))).as("the queue before the phase").isEmpty();
    }

    @Test
    @DisplayName("a recording needs a positive interval and real ports")
    void badInput() {
        assertThatThrownBy(() -> SocketRecorder.start(Duration.ZERO, Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval must be positive");
        assertThatThrownBy(() -> SocketRecorder.start(Duration.ofMillis(5), Set.of(70000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
    }

    @Test
    @DisplayName("Sockets.record gives the action's failure first, the timeline otherwise")
    void recordAroundAnAction() throws Exception {
        assertThatThrownBy(() -> Sockets.record(Duration.ofMillis(5), () -> {
            throw new IllegalStateException("the action failed");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the action failed");
        SocketTimeline timeline = Sockets.record(Duration.ofMillis(5), Loopback::cleanRoundTrip);
        assertThat(timeline.samples()).isGreaterThanOrEqualTo(2);
        assertThat(timeline.interval()).isEqualTo(Duration.ofMillis(5));
    }

    private static SocketRecorder start(SnapshotSource source) {
        if (source == SnapshotSource.NETLINK) {
            NetlinkAvailability.assumeNetlinkExpected();
        }
        // /proc reads the whole table each time: a coarser interval, as the extension's default.
        return SocketRecorder.start(source, Duration.ofMillis(source == SnapshotSource.NETLINK ? 5 : 20), Set.of());
    }

    /** The recording's sampling thread, once its first background sample was due. */
    private static Thread samplerOf(SocketRecorder recorder) {
        Polling.Result<Thread> sampler = Polling.until(recorder::sampler, thread -> thread != null, PATIENCE);
        assertThat(sampler.satisfied()).as("a sampling thread within %s", PATIENCE).isTrue();
        return sampler.value();
    }

    private static void awaitOwn(SnapshotSource source, String what, Predicate<TcpSocket> condition) {
        Polling.Result<SocketSnapshot> result = Polling.until(() -> Sockets.ownSnapshot(source, Set.of()),
                snapshot -> snapshot.own().stream().anyMatch(condition), PATIENCE);
        assertThat(result.satisfied()).as("%s within %s; last snapshot:%n%s", what, PATIENCE, result.value()).isTrue();
    }

    private static void awaitListener(SnapshotSource source, int port, Predicate<Listener> condition) {
        Polling.Result<SocketSnapshot> result = Polling.until(() -> Sockets.ownSnapshot(source, Set.of()),
                snapshot -> snapshot.listener(port).filter(condition).isPresent(), PATIENCE);
        assertThat(result.satisfied()).as("the listener on %s within %s; last snapshot:%n%s", port, PATIENCE, result.value()).isTrue();
    }

    /**
     * A snapshot taken at a moment of the recording, marked by a phase. The state was reached before: the recorder is
     * first let take two more samples, so that one began after the state was reached and before the moment.
     */
    private record Moment(String name, SocketSnapshot snapshot, TcpSocket socket) {

        static Moment take(SocketRecorder recorder, SnapshotSource source, String name, Predicate<TcpSocket> socket) {
            int taken = recorder.samplesTaken();
            assertThat(Polling.until(recorder::samplesTaken, count -> count >= taken + 2, PATIENCE).satisfied())
                    .as("the recorder kept sampling").isTrue();
            recorder.phase(name);
            SocketSnapshot snapshot = Sockets.ownSnapshot(source, Set.of());
            TcpSocket row = snapshot.all().stream().filter(socket).findFirst()
                    .orElseThrow(() -> new AssertionError("no socket at " + name + " in " + snapshot));
            return new Moment(name, snapshot, row);
        }

        /** When the phase named after the moment began: just before the snapshot was taken. */
        Duration at(SocketTimeline timeline) {
            return timeline.phases().stream().filter(phase -> phase.name().equals(name)).findFirst().orElseThrow().from();
        }
    }
}

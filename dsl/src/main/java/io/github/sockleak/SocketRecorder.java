package io.github.sockleak;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Records a {@link SocketTimeline}: samples this process's sockets, and every socket of the watched ports, on a
 * background thread at a fixed interval, with the own-socket reads of {@link Sockets#ownSnapshot(Set)}, and keeps
 * only what changed. {@link #stop()} takes a last sample and returns the timeline; nothing is kept after.
 *
 * <p>Each recording samples on a daemon thread of its own while it runs, named {@code sockleak-recorder}, kept for
 * the next recording once it ends (one idle for a minute ends). It takes that thread when its first background
 * sample is due: a recording stopped within its first interval never wakes one. The thread inherits no inheritable
 * thread-local of the thread that started the recording, so a tool that marks a test's threads through them (the
 * JUnit extension's origin agent) never counts the recorder as working for a test. A sample that takes longer than
 * the interval delays the next one: samples are never taken two at a time.
 *
 * <p>A sample that fails ends the sampling, and {@link #stop()} throws a {@link SocketSnapshotException} with its
 * reason: a timeline is returned only when every sample was taken, so that a gap can never pass for a socket that
 * did not change.
 */
public final class SocketRecorder implements AutoCloseable {

    private final Supplier<SocketSnapshot> snapshots;
    private final Duration interval;
    private final Instant startedAt;
    private final long startNanos;
    /** Where the background samples are taken: waiting for the first, then a thread. */
    private final RecorderThreads.Sampling background;
    /** Guards the phases; a phase never waits for a sample. */
    private final Object lock = new Object();
    private final List<SocketTimeline.Phase> phases = new ArrayList<>();
    private String phase;
    private Duration phaseFrom;
    /** Guards the builder and the failure: held by each sample, and by the stop, which takes the last one. */
    private final Object sampling = new Object();
    private TimelineBuilder builder;
    private RuntimeException failure;
    private Duration failedAt;
    private volatile boolean running = true;
    /** For tests that wait until the recorder has looked again, rather than for a while. */
    private volatile int samplesTaken;

    /** @param snapshots reads each sample: {@code Sockets.ownSnapshot}, or captured snapshots in a test */
    SocketRecorder(Supplier<SocketSnapshot> snapshots, Duration interval, Set<Integer> watchedPorts) {
        this(snapshots, interval, watchedPorts, RecorderThreads.SHARED);
    }

    SocketRecorder(Supplier<SocketSnapshot> snapshots, Duration interval, Set<Integer> watchedPorts, RecorderThreads threads) {
        this.snapshots = snapshots;
        this.interval = interval;
        this.builder = new TimelineBuilder(watchedPorts);
        SocketSnapshot first = read();
        // The recording starts when its first sample is known, as every later sample is stamped: see sample().
        this.startedAt = Instant.now();
        this.startNanos = System.nanoTime();
        builder.add(first, Duration.ZERO);
        this.samplesTaken = 1;
        this.background = threads.start(this::sampleUntilStopped, startNanos + interval.toNanos(), this::noThread);
    }

    /**
     * Starts recording now, with a first sample taken before this returns, from the best source available as
     * {@link Sockets#ownSnapshot(Set)} chooses it.
     *
     * @param interval     the time between two samples
     * @param watchedPorts local ports whose every socket is recorded, whoever holds it; may be empty
     * @return the running recorder
     * @throws SocketSnapshotException when the first sample cannot be taken
     * @throws IllegalArgumentException when {@code interval} is not positive or a port is not from 1 to 65535
     */
    public static SocketRecorder start(Duration interval, Set<Integer> watchedPorts) {
        Set<Integer> ports = Sockets.validPorts(watchedPorts);
        return new SocketRecorder(() -> Sockets.ownSnapshot(ports), positive(interval), ports);
    }

    /**
     * Like {@link #start(Duration, Set)}, every sample read from {@code source} and no other, as
     * {@link Sockets#ownSnapshot(SnapshotSource, Set)} reads it: {@link SnapshotSource#PROCFS} reads the whole table
     * each time, so its interval should be coarser.
     *
     * @param source       the kernel interface to read
     * @param interval     the time between two samples
     * @param watchedPorts local ports whose every socket is recorded, whoever holds it; may be empty
     * @return the running recorder
     * @throws SocketSnapshotException when that source cannot be used here, or the first sample fails
     * @throws IllegalArgumentException when {@code interval} is not positive or a port is not from 1 to 65535
     */
    public static SocketRecorder start(SnapshotSource source, Duration interval, Set<Integer> watchedPorts) {
        Set<Integer> ports = Sockets.validPorts(watchedPorts);
        return new SocketRecorder(() -> Sockets.ownSnapshot(source, ports), positive(interval), ports);
    }

    private static Duration positive(Duration interval) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("a recording's interval must be positive, not " + interval);
        }
        return interval;
    }

    /**
     * Marks the start of a named phase, ending the one before.
     *
     * @param name the phase, such as {@code "test"}
     */
    public void phase(String name) {
        synchronized (lock) {
            requireRunning();
            Duration now = sinceStart();
            endPhase(now);
            phase = name;
            phaseFrom = now;
        }
    }

    private void endPhase(Duration now) {
        if (phase != null) {
            phases.add(new SocketTimeline.Phase(phase, phaseFrom, now));
            phase = null;
        }
    }

    /**
     * Takes a sample now, on the calling thread, besides the background thread's: a state the caller has just seen
     * (a connection in CLOSE-WAIT, a queue at its depth) is then in the timeline, however briefly it lasts and however
     * late a busy machine runs the recorder's thread.
     *
     * @throws IllegalStateException when the recorder was stopped already
     */
    public void sampleNow() {
        synchronized (lock) {
            requireRunning();
        }
        synchronized (sampling) {
            if (running && failure == null) {
                sample();
            }
        }
    }

    /**
     * Takes a last sample, stops the background thread and returns the recording. The recorder keeps nothing after.
     *
     * @return the timeline
     * @throws SocketSnapshotException when a sample failed during the recording, or the last one fails
     * @throws IllegalStateException   when the recorder was stopped already
     */
    public SocketTimeline stop() {
        synchronized (lock) {
            requireRunning();
            running = false;
        }
        try {
            // Waits for a sample under way, never for the thread: on a busy machine a parked thread can take
            // milliseconds to be scheduled, which every test would pay. Woken, it finds the recording stopped and leaves it.
            synchronized (sampling) {
                if (failure == null) {
                    sample();
                }
                if (failure != null) {
                    throw new SocketSnapshotException("the recording's sample at " + failedAt.toMillis()
                            + " ms failed, so its timeline would have a gap and is not given: " + failure.getMessage(), failure);
                }
                Duration length = sinceStart();
                synchronized (lock) {
                    endPhase(length);
                    SocketTimeline timeline = builder.timeline(startedAt, length, interval, phases);
                    phases.clear();
                    return timeline;
                }
            }
        } finally {
            release(); // nothing is kept once the recording is handed over
        }
    }

    /**
     * Stops recording and drops the timeline, without a last sample, when {@link #stop()} was not called: for
     * try-with-resources, and for a caller that finds it does not want the timeline after all (the JUnit extension,
     * for a clean test). Nothing is kept.
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (!running) {
                return;
            }
            running = false;
        }
        release();
    }

    /**
     * Forgets the recording, once a sample under way is done, and lets its thread go: the thread leaves it, or, if the
     * first background sample was not due yet, never runs it.
     */
    private void release() {
        synchronized (sampling) {
            builder = null;
            failure = null;
        }
        background.stopped();
    }

    private void requireRunning() {
        if (!running) {
            throw new IllegalStateException("the recording was stopped already");
        }
    }

    /** At a fixed rate from the start; a slot a slow sample overran is skipped, not caught up. */
    private void sampleUntilStopped() {
        long period = interval.toNanos();
        long next = startNanos + period;
        while (running) {
            long wait;
            while (running && (wait = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(this, wait);
            }
            synchronized (sampling) {
                if (!running || failure != null) {
                    return; // stopped meanwhile: the stopping thread took the last sample
                }
                sample();
            }
            long now = System.nanoTime();
            next += period * Math.max(1, (now - next) / period + 1);
        }
    }

    /** No thread could take the background samples: as a failed sample, the recording has a gap from here on. */
    private void noThread(Throwable reason) {
        synchronized (sampling) {
            if (running && failure == null) {
                failure = new SocketSnapshotException("no thread could be started for the recording's samples: "
                        + reason, reason);
                failedAt = sinceStart();
            }
        }
    }

    /**
     * One sample, stamped when its read ended: a read takes time, and what it shows may have happened anywhere within
     * it, so only its end is a moment by which all of it was true. Stamped at its start, a change made while a read was
     * under way would seem to precede whatever the caller did, and marked as a phase, meanwhile. A failure is kept,
     * with when it happened, and ends the sampling.
     */
    private void sample() {
        try {
            SocketSnapshot snapshot = read();
            builder.add(snapshot, sinceStart());
            samplesTaken++; // written under the sampling lock only
        } catch (RuntimeException e) {
            failure = e;
            failedAt = sinceStart();
        }
    }

    /** The thread taking the samples; null until the first background sample was due. For tests. */
    Thread sampler() {
        return background.thread();
    }

    /** How many samples were taken so far, the first included. */
    int samplesTaken() {
        return samplesTaken;
    }

    /**
     * A snapshot for the next sample. A queue's depth and its children are read one after the other, so a child
     * accepted in between looks like a ghost for one read, and one queued in between hides a ghost; a real ghost
     * stays counted until {@code accept()}, so a second read, taken only when ghosts appear or leave a queue that did
     * not shrink, keeps the real ones.
     */
    private SocketSnapshot read() {
        SocketSnapshot snapshot = snapshots.get();
        return builder.showsGhostsToConfirm(snapshot) ? snapshots.get() : snapshot;
    }

    private Duration sinceStart() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** What a recording watches run. */
    @FunctionalInterface
    public interface Action {
        /**
         * Does the work whose sockets are recorded.
         *
         * @throws Exception whatever the work throws, rethrown by the recording
         */
        void run() throws Exception;
    }
}

package io.github.sockleak;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The daemon threads, named {@code sockleak-recorder}, on which recordings take their samples. A thread runs one
 * recording at a time, so recordings side by side never wait for each other's samples, and is kept for the next one
 * when its recording ends: the JUnit extension records every test, and a thread started and ended per test cost a
 * clean one more than its samples. A thread idle for the keep-alive time ends.
 *
 * <p>A recording gets its thread only when its first background sample is due. Most of the extension's recordings
 * end before that (a clean test shorter than the interval), and waking a thread to start one and again to end it cost
 * such a test a good part of its check. Until then one thread, the dispatcher, waits for the soonest one; a
 * recording that ends first leaves without any thread having been woken for it, and the dispatcher, once woken, sleeps
 * until whatever recording is then the soonest, so a run of short tests wakes it about once per interval.
 *
 * <p>Each thread is created without the inheritable thread-locals of the thread that asked for it, so a tool that
 * marks a test's threads through them (the JUnit extension's origin agent) never counts a recorder as working for a
 * test.
 */
final class RecorderThreads {

    private static final String NAME = "sockleak-recorder";
    static final RecorderThreads SHARED = new RecorderThreads(Duration.ofMinutes(1));

    private final long keepAliveNanos;
    private final Function<Runnable, Thread> newThread;
    /** Guards everything below and each {@link Sampling}'s state. */
    private final Object lock = new Object();
    /** Idle threads, the one that ran most lately first. */
    private final Deque<Worker> idle = new ArrayDeque<>();
    /** Recordings whose first background sample is not due yet, the soonest first. */
    private final PriorityQueue<Sampling> waiting = new PriorityQueue<>((a, b) -> Long.signum(a.dueNanos - b.dueNanos));
    /** Null when there is none: the first recording to wait starts it, and it ends when idle for the keep-alive. */
    private Thread dispatcher;
    /** When the dispatcher wakes by itself; a recording due sooner wakes it. */
    private long dispatcherWakesAt;

    RecorderThreads(Duration keepAlive) {
        this(keepAlive, RecorderThreads::daemon);
    }

    /** @param newThread makes each thread, not started: for tests, a thread the JVM fails to start */
    RecorderThreads(Duration keepAlive, Function<Runnable, Thread> newThread) {
        this.keepAliveNanos = keepAlive.toNanos();
        this.newThread = newThread;
    }

    /**
     * Runs {@code recording} on a thread of its own from {@code dueNanos} on (a {@link System#nanoTime()}), unless it
     * is stopped before.
     *
     * @param noThread told, on the dispatcher, why no thread could be started for the recording when it was due
     */
    Sampling start(Runnable recording, long dueNanos, Consumer<Throwable> noThread) {
        Sampling sampling = new Sampling(recording, dueNanos, noThread);
        Thread started = null;
        Thread woken = null;
        synchronized (lock) {
            waiting.add(sampling);
            if (dispatcher == null) {
                dispatcher = started = newThread.apply(this::dispatch);
                dispatcherWakesAt = dueNanos; // it looks at the queue before it sleeps
            } else if (dueNanos - dispatcherWakesAt < 0) {
                dispatcherWakesAt = dueNanos;
                woken = dispatcher;
            }
        }
        if (started != null) {
            try {
                started.start();
            } catch (RuntimeException | Error e) {
                // The JVM could start no thread: this recording fails now, and the next one tries again.
                synchronized (lock) {
                    dispatcher = null;
                    waiting.remove(sampling);
                }
                throw e;
            }
        } else if (woken != null) {
            LockSupport.unpark(woken);
        }
        return sampling;
    }

    /** How many threads wait for a recording. For tests. */
    int idle() {
        synchronized (lock) {
            return idle.size();
        }
    }

    /** How many recordings wait for their first background sample. For tests. */
    int waiting() {
        synchronized (lock) {
            return waiting.size();
        }
    }

    private static Thread daemon(Runnable body) {
        Thread thread = new Thread(null, body, NAME, 0, false);
        thread.setDaemon(true);
        return thread;
    }

    /** Hands each recording to a thread when it is due; ends once nothing has waited for the keep-alive time. */
    private void dispatch() {
        long idleSince = System.nanoTime();
        while (true) {
            Map<Sampling, Runnable> handedOver = new LinkedHashMap<>();
            long wait;
            synchronized (lock) {
                long now = System.nanoTime();
                Sampling soonest;
                while ((soonest = waiting.peek()) != null && soonest.dueNanos - now <= 0) {
                    waiting.poll();
                    handedOver.put(soonest, handOver(soonest));
                }
                if (soonest != null || !handedOver.isEmpty()) {
                    idleSince = now;
                }
                if (soonest != null) {
                    wait = soonest.dueNanos - now;
                } else if (now - idleSince >= keepAliveNanos) {
                    dispatcher = null;
                    wait = -1;
                } else {
                    wait = idleSince + keepAliveNanos - now;
                }
                dispatcherWakesAt = now + Math.max(wait, 0);
            }
            handedOver.forEach((sampling, setGoing) -> {
                try {
                    setGoing.run();
                } catch (RuntimeException | Error e) {
                    sampling.noThread.accept(e); // a thread the JVM could not start: the recording has a gap
                }
            });
            if (wait < 0) {
                return;
            }
            // An interrupt left set would make every park return at once: waiting would spin.
            Thread.interrupted();
            LockSupport.parkNanos(this, wait);
        }
    }

    /**
     * Gives {@code sampling} an idle thread, or a new one; under the lock.
     *
     * @return what sets that thread going, to run outside the lock: its start, or its wake-up
     */
    private Runnable handOver(Sampling sampling) {
        Worker worker = idle.pollFirst();
        boolean isNew = worker == null;
        if (isNew) {
            worker = new Worker();
        }
        worker.recording = sampling.recording;
        Thread thread = worker.thread;
        sampling.thread = thread;
        return isNew ? thread::start : () -> LockSupport.unpark(thread);
    }

    /** One recording's place: waiting for its first background sample, then on its thread. */
    final class Sampling {
        private final Runnable recording;
        private final long dueNanos;
        private final Consumer<Throwable> noThread;
        /** Null while waiting; set under the lock when it is handed to a thread. */
        private Thread thread;

        private Sampling(Runnable recording, long dueNanos, Consumer<Throwable> noThread) {
            this.recording = recording;
            this.dueNanos = dueNanos;
            this.noThread = noThread;
        }

        /**
         * The recording stopped (told once, by its recorder): one still waiting leaves the queue, and no thread ever
         * runs it; one on its thread has that thread woken, to find it stopped and leave it.
         */
        void stopped() {
            Thread running;
            synchronized (lock) {
                running = thread;
                if (running == null) {
                    waiting.remove(this);
                }
            }
            if (running != null) {
                LockSupport.unpark(running);
            }
        }

        /** The thread running the recording; null until it was due. For tests. */
        Thread thread() {
            synchronized (lock) {
                return thread;
            }
        }
    }

    private final class Worker implements Runnable {
        final Thread thread = newThread.apply(this);
        /** The recording to run; set under the lock while the worker waits. */
        volatile Runnable recording;

        @Override
        public void run() {
            while (true) {
                recording.run();
                synchronized (lock) {
                    recording = null;
                    idle.addFirst(this);
                }
                if (!awaitRecording()) {
                    return;
                }
            }
        }

        /** Waits for the next recording; false when the keep-alive time passed without one, and this thread ends. */
        private boolean awaitRecording() {
            long deadline = System.nanoTime() + keepAliveNanos;
            while (recording == null) {
                long wait = deadline - System.nanoTime();
                if (wait <= 0) {
                    synchronized (lock) {
                        if (recording == null) {
                            idle.remove(this);
                            return false;
                        }
                    }
                } else {
                    // An interrupt left set would make every park return at once: waiting would spin.
                    Thread.interrupted();
                    LockSupport.parkNanos(this, wait);
                }
            }
            return true;
        }
    }
}

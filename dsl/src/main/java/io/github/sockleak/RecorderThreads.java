package io.github.sockleak;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.LockSupport;

/**
 * The daemon threads, named {@code sockleak-recorder}, on which recordings take their samples. A thread runs one
 * recording at a time, so recordings side by side never wait for each other's samples, and is kept for the next one
 * when its recording ends: the JUnit extension records every test, and a thread started and ended per test cost a
 * clean one more than its samples. A thread idle for the keep-alive time ends.
 *
 * <p>Each is created without the inheritable thread-locals of the thread that asked for it, so a tool that marks a
 * test's threads through them (the JUnit extension's origin agent) never counts a recorder as working for a test.
 */
final class RecorderThreads {

    private static final String NAME = "sockleak-recorder";
    static final RecorderThreads SHARED = new RecorderThreads(Duration.ofMinutes(1));

    private final long keepAliveNanos;
    /** Idle threads, the one that ran most lately first; guards each worker's hand-over. */
    private final Deque<Worker> idle = new ArrayDeque<>();

    RecorderThreads(Duration keepAlive) {
        this.keepAliveNanos = keepAlive.toNanos();
    }

    /**
     * Runs {@code recording} on an idle thread, or on a new one when none is idle.
     *
     * @return the thread, for the recording to wake when it ends
     */
    Thread run(Runnable recording) {
        Worker worker;
        synchronized (idle) {
            worker = idle.pollFirst();
            if (worker != null) {
                worker.recording = recording; // under the lock: an idle thread's keep-alive ends only while it has none
            }
        }
        if (worker == null) {
            worker = new Worker(recording);
            worker.thread.start();
        } else {
            LockSupport.unpark(worker.thread);
        }
        return worker.thread;
    }

    /** How many threads wait for a recording. For tests. */
    int idle() {
        synchronized (idle) {
            return idle.size();
        }
    }

    private final class Worker implements Runnable {
        final Thread thread;
        /** The recording to run; set under {@link #idle}'s lock while the worker waits. */
        volatile Runnable recording;

        Worker(Runnable recording) {
            this.recording = recording;
            this.thread = new Thread(null, this, NAME, 0, false);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (true) {
                recording.run();
                synchronized (idle) {
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
                    synchronized (idle) {
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

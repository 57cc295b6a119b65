package io.github.sockleak.benchmarks;

import java.io.IOException;
import java.util.function.LongSupplier;

/** Wall-clock timing for the tables that alternate their contestants in one run, and the {@code ss} they race. */
public final class Measure {

    private Measure() {
    }

    /** The wall time of {@code work}, in nanoseconds. */
    public static long time(LongSupplier work) {
        long start = System.nanoTime();
        work.getAsLong();
        return System.nanoTime() - start;
    }

    /**
     * Runs {@code ss -tan}, its output thrown away, as a program that shells out to it pays for it (fork and exec
     * included); its exit status.
     */
    public static long ssTan() {
        try {
            Process ss = new ProcessBuilder("ss", "-tan").redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            int exit = ss.waitFor();
            if (exit != 0) {
                throw new IllegalStateException("ss -tan exited with " + exit);
            }
            return exit;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run ss -tan (is iproute2 installed?): " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.github.sockleak.benchmarks;

import java.io.IOException;

/**
 * Keeps one core busy: a thread that never sleeps, so that tests run beside it get the scheduler's delays a
 * loaded build machine gives them. Prints {@code READY} once it spins, and ends when stdin closes or the process
 * is killed, so that it cannot outlive the script that started it even if that script is killed outright. Uses
 * nothing but the JDK.
 */
public final class BusyCore {

    /** Written by the spinning thread, so that the loop has an effect the compiler must keep. */
    static volatile long spins;

    private BusyCore() {
    }

    public static void main(String[] args) throws IOException {
        Thread spinner = new Thread(() -> {
            long n = 0;
            while (true) {
                n++;
                if ((n & 0xFFFFFF) == 0) {
                    spins = n;
                }
            }
        }, "spin");
        spinner.setDaemon(true);
        spinner.start();
        System.out.println("READY");
        System.out.flush();
        while (System.in.read() >= 0) {
            // nothing to do but wait for stdin to close
        }
        System.exit(0);
    }
}

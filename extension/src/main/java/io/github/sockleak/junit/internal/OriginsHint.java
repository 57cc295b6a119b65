package io.github.sockleak.junit.internal;

import io.github.sockleak.junit.internal.origins.OriginsStatus;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Says once per JVM, in one line on standard error, that leak reports will have no origins and why: a suite of
 * a thousand tests must not print it a thousand times, and a build must not stay silent about it either.
 */
public final class OriginsHint {

    private static final AtomicInteger PRINTED = new AtomicInteger();

    private OriginsHint() {
    }

    /** Prints the line for {@code status} unless a line was printed already. */
    static void printOnce(OriginsStatus status) {
        if (PRINTED.compareAndSet(0, 1)) {
            System.err.println(line(status));
        }
    }

    /** The refusal's hint as it is, or a failure's diagnosis with what follows from it. */
    static String line(OriginsStatus status) {
        if (status.state() == OriginsStatus.State.FAILED) {
            return "sockleak: leak reports will not say where sockets were opened: " + status.message()
                    + ". Reports are kernel-only; set sockleak.origins=on to fail instead, or off to silence this line.";
        }
        return status.message();
    }

    /** How many times the hint was printed in this JVM: 0 or 1. For tests, through {@code OriginsHintAccess}. */
    static int printed() {
        return PRINTED.get();
    }
}

package io.github.sockleak.benchmarks.verdict;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** What a fixture test is: the verdict sockleak owes it. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@interface Expect {

    Kind value();

    enum Kind {
        /** Leaves a leak the kernel shows: every mode must fail it. */
        LEAK,
        /** Drops a socket that the garbage collector closes: only the origin agent can see it; must fail with it. */
        LEAK_ONLY_THE_AGENT_SEES,
        /**
         * Leaves a CLOSE-WAIT accepted on a thread of a pool shared by several tests. Must fail, except in parallel
         * with the agent, where it may instead be written down as unattributed (a note), never blamed on another test.
         */
        LEAK_ON_SHARED_THREAD,
        /** Leaves nothing behind (a late close within the settle time included): must pass, alone. */
        CLEAN
    }
}

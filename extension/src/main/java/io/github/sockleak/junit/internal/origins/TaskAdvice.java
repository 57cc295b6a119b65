package io.github.sockleak.junit.internal.origins;

import io.github.sockleak.junit.internal.bootstrap.TaskEvents;
import net.bytebuddy.asm.Advice;

/**
 * The code inlined into the JDK's executors and libraries' worker loops, as {@link SocketAdvice} is into the JDK's
 * sockets: each references only {@link TaskEvents}, on the bootstrap class path (which every class loader sees), and
 * byte-buddy swallows anything it throws.
 */
final class TaskAdvice {

    private TaskAdvice() {
    }

    /** Where a task is handed to an executor: its first argument carries the submitting thread's mark. */
    static final class Submit {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object task) {
            TaskEvents.submitted(task);
        }
    }

    /**
     * A method that runs one task, {@code this}, on the current thread: the task's mark for its duration, the thread's
     * own again after, also when it threw. {@code ForkJoinTask.doExec()}, through which every pool thread, and a
     * thread that joins or invokes a task itself, runs a fork/join task; the run of a pool's own thread that works
     * for no test, which carries no mark and so runs with none; and httpcore's {@code BasicFuture} as it completes,
     * which runs its callback.
     */
    static final class Run {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object task) {
            return TaskEvents.starting(task);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object previous) {
            TaskEvents.finished(previous);
        }
    }

    /** A static method that runs its first argument, a task, on the current thread: Netty's {@code runTask(Runnable)}. */
    static final class RunArgument {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(0) Object task) {
            return TaskEvents.starting(task);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object previous) {
            TaskEvents.finished(previous);
        }
    }

    /** A method that runs its second argument, a task: httpcore's {@code processConnectionRequest(channel, request)}. */
    static final class RunSecondArgument {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.Argument(1) Object task) {
            return TaskEvents.starting(task);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object previous) {
            TaskEvents.finished(previous);
        }
    }

    /** A constructor whose object is a task handed over by the thread constructing it: httpcore's connection request. */
    static final class SubmitConstructed {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object task) {
            TaskEvents.submitted(task);
        }
    }

    /** A library's worker loop, which runs everybody's queued tasks: it works for no test itself. */
    static final class WorkerLoop {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter() {
            return TaskEvents.forNoTest();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object previous) {
            TaskEvents.finished(previous);
        }
    }

    /** Where such a loop has picked its next task, the first argument: the thread works for the task's test. */
    static final class TakeUp {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object task) {
            TaskEvents.takingUp(task);
        }
    }

    /** Where such a loop is done with a task, also when it threw: the thread works for no test again. */
    static final class DoneWith {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            TaskEvents.doneWith();
        }
    }
}

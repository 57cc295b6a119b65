package io.github.sockleak.junit.internal.origins;

import static io.github.sockleak.junit.internal.origins.JdkInstrumentation.add;
import static io.github.sockleak.junit.internal.origins.JdkInstrumentation.advise;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RunnableScheduledFuture;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.asm.MemberSubstitution;
import net.bytebuddy.description.method.MethodDescription;

/**
 * Which JDK methods carry a test's mark with the tasks submitted while it runs. A task gets the submitting thread's
 * mark where every way into a pool passes, and the thread that runs it gets that mark where every task of the pool
 * is run, on JDK 17 to 25 alike:
 *
 * <ul>
 *   <li>{@code ThreadPoolExecutor.execute(Runnable)}, behind its {@code submit} and {@code invokeAll} and a
 *       {@code CompletableFuture} stage given such a pool; the worker loop's {@code task.run()} is replaced by
 *       {@link io.github.sockleak.junit.internal.bootstrap.TaskEvents#run}. The loop rather than
 *       {@code beforeExecute}/{@code afterExecute}, which a subclass may override without calling them.</li>
 *   <li>{@code ScheduledThreadPoolExecutor}: {@code delayedExecute}, behind every {@code schedule}, {@code execute}
 *       and {@code submit}, and {@code reExecutePeriodic}, which hands a periodic task back to the queue for its next
 *       run (from inside its run, where it has its mark). Its tasks run in the same worker loop.</li>
 *   <li>{@code ForkJoinPool}: its work queues' {@code push} (and {@code lockedPush}, for submissions from outside
 *       the pool on JDK 17), behind {@code execute}, {@code submit}, {@code invoke}, {@code fork}, the common pool and
 *       every {@code CompletableFuture} async stage run there; on JDK 25 also {@code scheduleDelayedTask}, behind
 *       its {@code schedule} methods, and the pool's scheduler thread works for no test. {@code ForkJoinTask.doExec}
 *       runs each task.</li>
 * </ul>
 *
 * <p>A thread started with {@code Thread.start}, virtual threads included (one per task with
 * {@code Executors.newVirtualThreadPerTaskExecutor}), needs none of this: it inherits the mark of the thread that
 * created it. Executors with their own worker loops outside the JDK are not covered.
 */
final class TaskInstrumentation {

    private static final String TASK_EVENTS = "io.github.sockleak.junit.internal.bootstrap.TaskEvents";
    /** The thread of a fork/join pool that hands delayed tasks to its queues when they are due, from JDK 25 on. */
    private static final String DELAY_SCHEDULER = "java.util.concurrent.DelayScheduler";

    private TaskInstrumentation() {
    }

    static void addTo(Map<String, List<AsmVisitorWrapper>> advice) throws ClassNotFoundException, NoSuchMethodException {
        advise(advice, "java.util.concurrent.ThreadPoolExecutor",
                named("execute").and(takesArguments(1)).and(takesArgument(0, Runnable.class)), TaskAdvice.Submit.class);
        // The bootstrap copy, which the advice must call: TaskEvents is named, never touched as a type, here.
        MethodDescription runInScope = new MethodDescription.ForLoadedMethod(
                Class.forName(TASK_EVENTS, false, null).getMethod("run", Runnable.class));
        add(advice, "java.util.concurrent.ThreadPoolExecutor", MemberSubstitution.relaxed()
                .method(named("run").and(takesArguments(0)).and(isDeclaredBy(Runnable.class)))
                .replaceWith(runInScope)
                .on(named("runWorker")));
        advise(advice, "java.util.concurrent.ScheduledThreadPoolExecutor",
                namedOneOf("delayedExecute", "reExecutePeriodic").and(takesArguments(1))
                        .and(takesArgument(0, RunnableScheduledFuture.class)), TaskAdvice.Submit.class);
        advise(advice, "java.util.concurrent.ForkJoinPool$WorkQueue",
                namedOneOf("push", "lockedPush").and(takesArgument(0, ForkJoinTask.class)), TaskAdvice.Submit.class);
        advise(advice, "java.util.concurrent.ForkJoinPool",
                named("scheduleDelayedTask").and(takesArguments(1)), TaskAdvice.Submit.class);
        advise(advice, "java.util.concurrent.ForkJoinTask", named("doExec").and(takesArguments(0)), TaskAdvice.Run.class);
        if (isInTheJdk(DELAY_SCHEDULER)) {
            // Started by whichever thread first schedules on the pool, whose mark it would inherit and give to every
            // delayed task it moves to a queue, over the mark each task got when it was scheduled.
            advise(advice, DELAY_SCHEDULER, named("run").and(takesArguments(0)), TaskAdvice.Run.class);
        }
    }

    private static boolean isInTheJdk(String type) {
        try {
            Class.forName(type, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}

package io.github.sockleak.junit.internal.origins;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Carries test marks through the worker loops of libraries that queue work outside the JDK's executors, matched by
 * class name in whichever class loader loads them (sockleak does not depend on them):
 *
 * <ul>
 *   <li>OkHttp's task runner. Its threads come from a {@code ThreadPoolExecutor}, but each runs one loop that takes
 *       whatever task is due, for any test: the loop ({@code TaskRunner}'s runnable) works for no test, a task gets
 *       the mark it carried from {@code TaskQueue.scheduleAndDecide} (behind {@code schedule} and {@code execute}) when
 *       the loop takes it up in {@code beforeRun}, and gives it up in {@code afterRun}. OkHttp 5 connects there.</li>
 *   <li>Netty's event executors: a task handed to {@code SingleThreadEventExecutor.execute} (every event loop's
 *       {@code execute} and {@code lazyExecute}, a channel's registration and connect, a scheduled task from outside
 *       the loop) or scheduled from inside it ({@code scheduleFromEventLoop}, periodic tasks at every run) carries
 *       the mark to {@code AbstractEventExecutor.runTask}, through which the event loops run each task. The loop's
 *       own {@code run()} works for no test: its thread inherited the mark of the test that first used the loop,
 *       and its I/O between tasks is no more that test's than another's.</li>
 *   <li>The I/O reactor of Apache HttpCore 5, behind HttpClient 5's async client: a connection request
 *       ({@code IOSessionRequest}) carries the mark of the thread that created it, in a lease or an execute, to the
 *       reactor thread that connects it ({@code SingleCoreIOReactor.processConnectionRequest}). Before that, a
 *       lease: a connection pool completes a waiting lease, whose callback asks for the connection, on whichever
 *       thread releases a connection or next gets its lock, so each {@code BasicFuture} carries the mark of the
 *       thread that made it to the thread that completes, fails or cancels it, for its callback.</li>
 * </ul>
 *
 * <p>A class of these libraries that cannot be instrumented (another version, changed inside) is left as it is, with
 * one line on standard error: its tasks run with the mark of the thread, as before.
 */
final class LibraryInstrumentation implements ClassFileTransformer {

    private final Map<String, List<AsmVisitorWrapper>> adviceByInternalName;

    private LibraryInstrumentation(Map<String, List<AsmVisitorWrapper>> adviceByInternalName) {
        this.adviceByInternalName = adviceByInternalName;
    }

    /** Instruments these classes where they are loaded already, and wherever they load from now on. */
    static void install(Instrumentation instrumentation) {
        Map<String, List<AsmVisitorWrapper>> advice = new LinkedHashMap<>();
        advise(advice, "okhttp3.internal.concurrent.TaskQueue",
                named("scheduleAndDecide$okhttp").and(takesArguments(3)), TaskAdvice.Submit.class);
        advise(advice, "okhttp3.internal.concurrent.TaskRunner$runnable$1", named("run").and(takesArguments(0)), TaskAdvice.WorkerLoop.class);
        advise(advice, "okhttp3.internal.concurrent.TaskRunner", named("beforeRun").and(takesArguments(1)), TaskAdvice.TakeUp.class);
        advise(advice, "okhttp3.internal.concurrent.TaskRunner", named("afterRun").and(takesArguments(3)), TaskAdvice.DoneWith.class);
        advise(advice, "io.netty.util.concurrent.SingleThreadEventExecutor",
                named("execute").and(takesArguments(2)).and(takesArgument(0, Runnable.class)), TaskAdvice.Submit.class);
        advise(advice, "io.netty.util.concurrent.AbstractScheduledEventExecutor",
                named("scheduleFromEventLoop").and(takesArguments(1)), TaskAdvice.Submit.class);
        // The loop itself: its thread was started by whichever test first used the loop, and inherited its mark.
        for (String loop : List.of("io.netty.channel.SingleThreadIoEventLoop", "io.netty.channel.nio.NioEventLoop",
                "io.netty.channel.epoll.EpollEventLoop", "io.netty.channel.DefaultEventLoop",
                "io.netty.util.concurrent.DefaultEventExecutor")) {
            advise(advice, loop, named("run").and(takesArguments(0)), TaskAdvice.WorkerLoop.class);
        }
        advise(advice, "io.netty.util.concurrent.AbstractEventExecutor",
                named("runTask").and(isStatic()).and(takesArguments(1)).and(takesArgument(0, Runnable.class)), TaskAdvice.RunArgument.class);
        advise(advice, "org.apache.hc.core5.reactor.IOSessionRequest", isConstructor(), TaskAdvice.SubmitConstructed.class);
        advise(advice, "org.apache.hc.core5.reactor.SingleCoreIOReactor",
                named("processConnectionRequest").and(takesArguments(2)), TaskAdvice.RunSecondArgument.class);
        // A future's callbacks run on whichever thread completes it: a pool grants a waiting lease on the thread that
        // releases a connection or next takes its lock, another test's as often as not.
        advise(advice, "org.apache.hc.core5.concurrent.BasicFuture", isConstructor(), TaskAdvice.SubmitConstructed.class);
        advise(advice, "org.apache.hc.core5.concurrent.BasicFuture",
                named("completed").or(named("failed")).or(named("cancel")).and(takesArguments(1)), TaskAdvice.Run.class);

        LibraryInstrumentation transformer = new LibraryInstrumentation(advice);
        instrumentation.addTransformer(transformer, true);
        List<Class<?>> loaded = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (advice.containsKey(type.getName().replace('.', '/')) && type.getClassLoader() != null) {
                loaded.add(type);
            }
        }
        for (Class<?> type : loaded) {
            try {
                instrumentation.retransformClasses(type);
            } catch (Exception | LinkageError e) {
                unchanged(type.getName(), e);
            }
        }
    }

    private static void advise(Map<String, List<AsmVisitorWrapper>> advice, String type,
                               ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass) {
        advice.computeIfAbsent(type.replace('.', '/'), t -> new ArrayList<>()).add(Advice.to(adviceClass).on(methods));
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (loader == null || internalName == null) {
            return null;
        }
        List<AsmVisitorWrapper> visitors = adviceByInternalName.get(internalName);
        if (visitors == null) {
            return null;
        }
        String name = internalName.replace('/', '.');
        try {
            ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes),
                    ClassFileLocator.ForClassLoader.of(loader));
            // No new members: a retransformed class must keep its shape.
            DynamicType.Builder<?> builder = new ByteBuddy()
                    .with(Implementation.Context.Disabled.Factory.INSTANCE)
                    .redefine(TypePool.Default.of(locator).describe(name).resolve(), locator);
            for (AsmVisitorWrapper visitor : visitors) {
                builder = builder.visit(visitor);
            }
            return builder.make().getBytes();
        } catch (Throwable e) {
            unchanged(name, e);
            return null;
        }
    }

    private static void unchanged(String type, Throwable reason) {
        System.err.println("sockleak: could not instrument " + type + ", whose tasks will not carry test marks: " + reason);
    }
}

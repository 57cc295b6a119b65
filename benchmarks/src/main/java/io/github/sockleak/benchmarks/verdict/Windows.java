package io.github.sockleak.benchmarks.verdict;

import io.github.sockleak.junit.NoSocketLeaks;
import io.github.sockleak.junit.SocketLeakExtension;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * When each fixture test's check ran, bounded from both sides. {@link Outer} is registered before sockleak's
 * extension, so its callbacks wrap sockleak's: {@code [outerBegin, outerEnd]} holds the whole check.
 * {@link Inner} is registered after it, so its callbacks run inside sockleak's: {@code [innerBegin, innerEnd]}
 * lies within the check, which then goes on for its settle. Each callback checks that sockleak's check is (or is
 * not yet, or no longer) in JUnit's store, so a wrong order of registration cannot go unnoticed.
 */
final class Windows {

    /** The nanoTime bounds of one test's check. */
    static final class Window {
        final String test;
        volatile long outerBegin;
        volatile long innerBegin;
        volatile long innerEnd;
        volatile long outerEnd;
        /** What was wrong with the order of the callbacks; null when nothing. */
        volatile String orderProblem;

        Window(String test) {
            this.test = test;
        }

        /** Whether the two checks certainly overlapped: the part of each known to be inside it meets the other's. */
        boolean certainlyOverlaps(Window other, long settledThis, long settledOther) {
            return innerBegin < other.innerEnd + settledOther && other.innerBegin < innerEnd + settledThis;
        }

        /** Whether the two checks may have overlapped: the outer bounds meet. */
        boolean mayOverlap(Window other) {
            return outerBegin < other.outerEnd && other.outerBegin < outerEnd;
        }
    }

    private static final Map<String, Window> BY_TEST = new ConcurrentHashMap<>();
    private static final ExtensionContext.Namespace SOCKLEAK = ExtensionContext.Namespace.create(SocketLeakExtension.class);

    private Windows() {
    }

    static Map<String, Window> endRound() {
        Map<String, Window> round = new TreeMap<>(BY_TEST);
        BY_TEST.clear();
        return round;
    }

    /** The test's name as sockleak's reports write it. */
    static String testName(Class<?> testClass, Method method) {
        String className = testClass.getName().substring(testClass.getPackageName().isEmpty() ? 0
                : testClass.getPackageName().length() + 1).replace('$', '.');
        return className + "." + method.getName() + "()";
    }

    private static Window window(ExtensionContext context) {
        return BY_TEST.computeIfAbsent(testName(context.getRequiredTestClass(), context.getRequiredTestMethod()), Window::new);
    }

    private static boolean sockleakChecking(ExtensionContext context) {
        return context.getStore(SOCKLEAK).get("check:" + context.getUniqueId()) != null;
    }

    private static void expect(ExtensionContext context, Window window, boolean checking, String when) {
        if (sockleakChecking(context) != checking) {
            window.orderProblem = "sockleak's check was " + (checking ? "not " : "") + "running " + when;
        }
    }

    /** Before and after sockleak's callbacks; closes the sockets of a class once it has run. */
    static final class Outer implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            Window window = window(context);
            expect(context, window, false, "before the outer window began");
            window.outerBegin = System.nanoTime();
        }

        @Override
        public void afterEach(ExtensionContext context) {
            Window window = window(context);
            window.outerEnd = System.nanoTime();
            expect(context, window, false, "when the outer window ended");
        }

        @Override
        public void afterAll(ExtensionContext context) {
            OpenedSockets.closeClass(context.getRequiredTestClass());
        }
    }

    /** Inside sockleak's callbacks; gives the test its {@link Net}. */
    static final class Inner implements BeforeEachCallback, AfterEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            Window window = window(context);
            window.innerBegin = System.nanoTime();
            expect(context, window, true, "when the inner window began");
            Net.begin(window.test, context.getRequiredTestClass());
        }

        @Override
        public void afterEach(ExtensionContext context) {
            Net.end();
            Window window = window(context);
            expect(context, window, true, "when the inner window ended");
            window.innerEnd = System.nanoTime();
        }
    }

    @Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(Outer.class)
    @interface OuterWindow {
    }

    @Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(Inner.class)
    @interface InnerWindow {
    }

    /** A fixture class: checked by sockleak with its defaults, between the two windows. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @OuterWindow
    @NoSocketLeaks
    @InnerWindow
    @interface Fixture {
    }
}

package io.github.sockleak.junit.internal.origins;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Where and when this JVM opened one socket: what happened (connect, accept, listen), on which thread, for which
 * test, and the caller's stack. The stack is captured cheaply as a {@link Throwable} and only turned into frames
 * when a report needs it.
 */
public final class Origin {

    /** What the application did to get the socket. */
    public enum Kind {
        CONNECTED("connected"), ACCEPTED("accepted"), LISTENING("listening");

        private final String verb;

        Kind(String verb) {
            this.verb = verb;
        }

        /** As a report says it: "accepted". */
        public String verb() {
            return verb;
        }
    }

    private final Kind kind;
    private final String thread;
    private final long openedAtMillis;
    private final TestMark test;
    private final int backlog;
    private final Throwable capture;
    private final Handover handover;
    private volatile List<StackTraceElement> frames;

    Origin(Kind kind, String thread, long openedAtMillis, TestMark test, int backlog, Throwable capture) {
        this(kind, thread, openedAtMillis, test, backlog, capture, null);
    }

    /** @param handover how the task that opened the socket came to this thread, or null when no task carried the test */
    Origin(Kind kind, String thread, long openedAtMillis, TestMark test, int backlog, Throwable capture, Handover handover) {
        this.kind = kind;
        this.thread = thread;
        this.openedAtMillis = openedAtMillis;
        this.test = test;
        this.backlog = backlog;
        this.capture = capture;
        this.handover = handover;
    }

    public Kind kind() {
        return kind;
    }

    /** The name of the thread that made the call. */
    public String thread() {
        return thread;
    }

    public Instant openedAt() {
        return Instant.ofEpochMilli(openedAtMillis);
    }

    /** The check that was running for the opening thread, when it could be told. */
    public TestMark test() {
        return test;
    }

    /** For a listener: the backlog the kernel applied (the one asked for, clamped to {@code net.core.somaxconn}). */
    public OptionalInt backlog() {
        return kind == Kind.LISTENING && backlog > 0 ? OptionalInt.of(backlog) : OptionalInt.empty();
    }

    /** The caller's frames, innermost first; empty when stacks are not recorded ({@code sockleak.originStacks=false}). */
    public List<StackTraceElement> callerFrames() {
        List<StackTraceElement> result = frames;
        if (result == null) {
            result = capture == null ? List.of() : CallerStack.of(capture);
            frames = result;
        }
        return result;
    }

    /**
     * The first of {@code names}, packages or classes, that the stack of the call which opened the socket passes
     * through: a frame of that class or one nested in it, or of a class in that package or below it. Empty without
     * a stack ({@code sockleak.originStacks=false}).
     */
    public Optional<String> passesThrough(Set<String> names) {
        if (capture == null || names.isEmpty()) {
            return Optional.empty();
        }
        for (StackTraceElement frame : capture.getStackTrace()) {
            String type = frame.getClassName();
            for (String name : names) {
                if (type.startsWith(name) && (type.length() == name.length()
                        || type.charAt(name.length()) == '.' || type.charAt(name.length()) == '$')) {
                    return Optional.of(name);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The caller's frames as a report shows them, innermost first: the application's own frames, the runs of a
     * library's or the JDK's folded into a line each.
     */
    public List<String> callerLines() {
        return CallerStack.lines(callerFrames(), ApplicationCode.INSTANCE);
    }

    /**
     * Where the work that opened the socket was handed to the thread that opened it, as a report shows it: for a
     * socket opened by a task that carried its test's mark, the submission, and, when a task submitted that task, the
     * first submission of the chain too, each a thread and its stack folded as {@link #callerLines()} folds. Empty when
     * the socket was opened on the test's own thread or a thread it started, or without stacks.
     */
    public List<Submission> submissions() {
        if (handover == null || handover.stack() == null) {
            return List.of();
        }
        Submission last = Submission.of(handover);
        return handover.first() == null || handover.first().stack() == null ? List.of(last) : List.of(last, Submission.of(handover.first()));
    }

    /** One handover of the work that opened a socket, for a report: the submitting thread and its folded stack. */
    public static final class Submission {
        private final String thread;
        private final List<String> lines;

        private Submission(String thread, List<String> lines) {
            this.thread = thread;
            this.lines = lines;
        }

        static Submission of(Handover handover) {
            return new Submission(handover.thread(), CallerStack.lines(CallerStack.of(handover.stack()), ApplicationCode.INSTANCE));
        }

        /** The name of the thread that handed the work over. */
        public String thread() {
            return thread;
        }

        /** Its stack as a report shows it, innermost first. */
        public List<String> lines() {
            return lines;
        }
    }

    /** Whether a stack was recorded at all, as opposed to recorded and found to hold no caller frame. */
    public boolean hasStack() {
        return capture != null;
    }
}

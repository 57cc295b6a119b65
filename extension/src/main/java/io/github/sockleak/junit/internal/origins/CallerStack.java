package io.github.sockleak.junit.internal.origins;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What of a stack captured inside a socket call a person wants to read. {@link #of} keeps every frame between the
 * socket machinery and the test framework; {@link #lines} shows them: each frame of the application's own code, and
 * a library's or the JDK's frames folded into one line per run ({@code ... 13 org.apache.hc frames}), so that the
 * test's line shows however deep a library called.
 */
final class CallerStack {

    /** A run of a library's frames this short is shown frame by frame: folding it would hide as much as it saves. */
    private static final int SHOWN_RUN = 2;
    /** Where no frame is the application's, the library's frames are all there is: this many are shown. */
    static final int LIBRARY_ONLY_FRAMES = 16;

    /** sockleak's and byte-buddy's own frames: left out wherever they are. */
    private static final String[] MACHINERY = {"net.bytebuddy.", "io.github.sockleak.internal.", "io.github.sockleak.junit.internal."};
    private static final String[] JDK = {"java.", "javax.", "jdk.", "sun.", "com.sun."};
    private static final String[] TEST_FRAMEWORK = {"org.junit.", "org.apache.maven.surefire.", "org.gradle."};

    private CallerStack() {
    }

    /**
     * The caller's frames, innermost first: from the first frame outside the JDK's socket classes down to the test
     * framework, which, with everything under it, is cut off. sockleak's own frames are left out.
     */
    static List<StackTraceElement> of(Throwable capture) {
        List<StackTraceElement> frames = new ArrayList<>();
        for (StackTraceElement frame : capture.getStackTrace()) {
            String type = frame.getClassName();
            if (startsWithAny(type, TEST_FRAMEWORK)) {
                if (!frames.isEmpty()) {
                    break;
                }
                continue;
            }
            if (startsWithAny(type, MACHINERY) || frames.isEmpty() && isJdk(frame)) {
                continue;
            }
            frames.add(frame);
        }
        // The JDK's reflection between the test method and the framework says nothing.
        while (!frames.isEmpty() && isJdk(frames.get(frames.size() - 1))) {
            frames.remove(frames.size() - 1);
        }
        return List.copyOf(frames);
    }

    /**
     * The report's lines for {@code frames}, innermost first: {@code at ...} for a frame shown, {@code ... N <package>
     * frames} for a folded run.
     *
     * @param application whether a class (by name) is the application's own code rather than a library's
     */
    static List<String> lines(List<StackTraceElement> frames, Predicate<String> application) {
        List<String> lines = new ArrayList<>();
        boolean anyApplication = frames.stream().anyMatch(frame -> !isJdk(frame) && application.test(frame.getClassName()));
        int libraryShown = 0;
        for (int start = 0; start < frames.size(); ) {
            StackTraceElement first = frames.get(start);
            if (!isJdk(first) && (application.test(first.getClassName()) || !anyApplication && libraryShown < LIBRARY_ONLY_FRAMES)) {
                lines.add("at " + first);
                libraryShown += anyApplication ? 0 : 1;
                start++;
                continue;
            }
            int end = runEnd(frames, start, application);
            if (isJdk(first)) {
                lines.add(folded(end - start, "JDK"));
            } else if (end - start <= SHOWN_RUN && anyApplication) {
                frames.subList(start, end).forEach(frame -> lines.add("at " + frame));
            } else {
                lines.add(folded(end - start, commonPackage(frames.subList(start, end))));
            }
            start = end;
        }
        return lines;
    }

    /** Where the run that {@code frames[start]} begins ends: the JDK's frames, or one library's, none the application's. */
    private static int runEnd(List<StackTraceElement> frames, int start, Predicate<String> application) {
        StackTraceElement first = frames.get(start);
        int end = start + 1;
        while (end < frames.size()) {
            StackTraceElement next = frames.get(end);
            boolean sameRun = isJdk(first)
                    ? isJdk(next)
                    : !isJdk(next) && !application.test(next.getClassName()) && sameLibrary(first, next);
            if (!sameRun) {
                break;
            }
            end++;
        }
        return end;
    }

    /**
     * Two classes of one library: their packages share their first two names ({@code org.apache}), or the first
     * where one package has one name only ({@code okhttp3} and {@code okhttp3.internal}).
     */
    private static boolean sameLibrary(StackTraceElement a, StackTraceElement b) {
        String[] first = packageOf(a).split("\\.");
        String[] second = packageOf(b).split("\\.");
        int shared = 0;
        while (shared < Math.min(first.length, second.length) && first[shared].equals(second[shared])) {
            shared++;
        }
        return shared >= Math.min(2, Math.min(first.length, second.length));
    }

    /** The longest package the run's classes all belong to: {@code org.apache.hc}. */
    private static String commonPackage(List<StackTraceElement> run) {
        String common = packageOf(run.get(0));
        for (StackTraceElement frame : run) {
            String other = packageOf(frame);
            while (!(other.equals(common) || other.startsWith(common + "."))) {
                int dot = common.lastIndexOf('.');
                common = dot < 0 ? "" : common.substring(0, dot);
            }
        }
        return common.isEmpty() ? "library" : common;
    }

    private static String packageOf(StackTraceElement frame) {
        String type = frame.getClassName();
        int dot = type.lastIndexOf('.');
        return dot < 0 ? "" : type.substring(0, dot);
    }

    private static String folded(int count, String what) {
        return "... " + count + " " + what + (count == 1 ? " frame" : " frames");
    }

    private static boolean isJdk(StackTraceElement frame) {
        return startsWithAny(frame.getClassName(), JDK);
    }

    private static boolean startsWithAny(String type, String[] prefixes) {
        for (String prefix : prefixes) {
            if (type.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

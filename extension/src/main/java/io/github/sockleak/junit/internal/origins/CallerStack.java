package io.github.sockleak.junit.internal.origins;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a stack captured inside a socket call down to the frames a person wants to read: the application's and
 * the test's. The JDK's frames, byte-buddy's and sockleak's own machinery are left out wherever they are; the
 * test framework's frames below the test method and everything under them are cut off.
 */
final class CallerStack {

    /** Enough to see the call site and a few callers; deeper frames rarely help and cost memory per socket. */
    static final int MAX_FRAMES = 16;

    private static final String[] INFRASTRUCTURE = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "net.bytebuddy.",
        "io.github.sockleak.internal.", "io.github.sockleak.junit.internal.",
    };
    private static final String[] TEST_FRAMEWORK = {"org.junit.", "org.apache.maven.surefire.", "org.gradle."};

    private CallerStack() {
    }

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
            if (startsWithAny(type, INFRASTRUCTURE)) {
                continue;
            }
            frames.add(frame);
            if (frames.size() == MAX_FRAMES) {
                break;
            }
        }
        return List.copyOf(frames);
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

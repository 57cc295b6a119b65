package io.github.sockleak.junit.internal.origins;

import java.net.URL;
import java.security.CodeSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Which classes, by name, are the application's own code: loaded from a directory of classes, as a build's output
 * and its tests are, rather than from a jar (a library) or the JDK. A class that cannot be loaded by name from here
 * counts as a library's. Asked only when a report is written; the answers are kept, one per class reported.
 */
final class ApplicationCode implements Predicate<String> {

    static final ApplicationCode INSTANCE = new ApplicationCode();

    private final Map<String, Boolean> known = new ConcurrentHashMap<>();

    private ApplicationCode() {
    }

    @Override
    public boolean test(String className) {
        // A lambda's frame names a hidden class, which no loader finds by name: its enclosing class does the work.
        int lambda = className.indexOf("$$");
        return known.computeIfAbsent(lambda < 0 ? className : className.substring(0, lambda), ApplicationCode::inDirectory);
    }

    private static boolean inDirectory(String className) {
        for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(),
                ApplicationCode.class.getClassLoader(), ClassLoader.getSystemClassLoader()}) {
            if (loader == null) {
                continue;
            }
            try {
                CodeSource source = Class.forName(className, false, loader).getProtectionDomain().getCodeSource();
                URL location = source == null ? null : source.getLocation();
                return location != null && "file".equals(location.getProtocol()) && location.getPath().endsWith("/");
            } catch (ClassNotFoundException | LinkageError | SecurityException e) {
                // not visible from this loader: try the next
            }
        }
        return false;
    }
}

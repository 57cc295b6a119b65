package io.github.sockleak.junit.internal.timeline;

import io.github.sockleak.SocketTimeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes recorded tests as self-contained HTML pages (one SVG timeline each, no script, font or request) under a
 * run's folder, and the run's index page listing every recorded test with its verdict.
 */
public final class TimelinePages {

    private TimelinePages() {
    }

    /**
     * Writes {@code <root>/<className>/<testName>.html}, replacing an older one.
     *
     * @param root      the run's folder, such as {@code target/sockleak}
     * @param className the test class's name
     * @param testName  the test's name, as a report names it
     * @param verdict   the verdict in a few words, such as "passed" or the failure's first line
     * @param timeline  what was recorded
     * @return the page's path
     * @throws IOException when it cannot be written
     */
    public static Path writePage(Path root, String className, String testName, String verdict, SocketTimeline timeline)
            throws IOException {
        Path page = root.resolve(className).resolve(testName + ".html"); // to be built: file-safe names, the SVG
        Files.createDirectories(page.getParent());
        Files.writeString(page, "<!doctype html><title>" + testName + "</title><p>" + verdict, StandardCharsets.UTF_8);
        return page;
    }

    /**
     * Adds a page to {@code <root>/index.html}, rewriting the index; safe when parallel tests add at once.
     *
     * @param root      the run's folder
     * @param page      the page written by {@link #writePage}
     * @param className the test class's name
     * @param testName  the test's name
     * @param verdict   the verdict in a few words
     * @throws IOException when it cannot be written
     */
    public static void addToIndex(Path root, Path page, String className, String testName, String verdict)
            throws IOException {
        // to be built
    }
}

package io.github.sockleak.junit.internal.timeline;

import io.github.sockleak.SocketTimeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/**
 * Writes recorded tests as self-contained HTML pages (one SVG timeline each, no script, font or request) under a
 * run's folder, and the run's index page listing every recorded test with its verdict.
 */
public final class TimelinePages {

    private TimelinePages() {
    }

    /**
     * Writes {@code <root>/<className>/<testName>.html}, replacing an older one. Both names are made safe for any
     * file system first (see {@link PageFiles}); the page is written whole or not at all.
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
        Path page = PageFiles.page(root, className, testName);
        Files.createDirectories(page.getParent());
        String indexLink = PageFiles.link(page.getParent(), root.resolve(RunIndex.PAGE));
        Path written = Files.createTempFile(page.getParent(), "page", ".tmp");
        try {
            Files.writeString(written, TimelinePage.html(className, testName, verdict, timeline, indexLink),
                    StandardCharsets.UTF_8);
            return Files.move(written, page, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(written);
        }
    }

    /**
     * Adds a page to {@code <root>/index.html}, rewriting the index; safe when parallel tests add at once, and when
     * several JVMs add to the same folder (see {@link RunIndex}).
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
        RunIndex.add(root, new RunIndex.Entry(className, testName, verdict, PageFiles.link(root, page), Instant.now()));
    }
}

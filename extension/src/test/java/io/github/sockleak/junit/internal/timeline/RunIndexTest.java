package io.github.sockleak.junit.internal.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

@DisplayName("The run's index")
class RunIndexTest {

    @TempDir
    Path root;

    @Test
    @DisplayName("lists every recorded test with its verdict, grouped by class, linking each page relatively")
    void lists() throws Exception {
        add("com.example.ATest", "passes()", "passed");
        add("com.example.BTest", "leaks()", "failed: leaked 1 socket in CLOSE-WAIT");
        add("com.example.ATest", "[1] a/b", "aborted: no database");

        PageDom index = index();
        assertThat(index.elements("//tr[@class='class']/th")).extracting(Element::getTextContent)
                .containsExactly("com.example.ATest", "com.example.BTest");
        assertThat(index.elements("//tr[@class='test']")).extracting(row -> row.getAttribute("data-verdict"))
                .containsExactly("passed", "other", "failed");
        assertThat(index.elements("//tr[@class='test']//a")).extracting(Element::getTextContent)
                .containsExactly("passes()", "[1] a/b", "leaks()");
        assertThat(index.elements("//tr[@class='test']//a")).extracting(a -> a.getAttribute("href"))
                .allSatisfy(href -> assertThat(root.resolve(href)).isRegularFile())
                .allSatisfy(href -> assertThat(href).doesNotStartWith("/").matches("[A-Za-z0-9._/-]+"));
        assertThat(index.text("//p[@class='summary']")).isEqualTo("3 tests recorded: 1 failed, 1 passed, 1 other");
    }

    @Test
    @DisplayName("a test recorded again replaces its line; odd characters in names and verdicts survive the list")
    void again() throws Exception {
        add("com.example.ATest", "tab\there", "failed: first\nline");
        add("com.example.ATest", "tab\there", "passed \\ back\\slash");
        PageDom index = index();
        assertThat(index.elements("//tr[@class='test']//a")).extracting(Element::getTextContent).containsExactly("tab\there");
        assertThat(index.text("//tr[@class='test']//span")).isEqualTo("passed \\ back\\slash");
    }

    @Test
    @DisplayName("parallel tests adding at once lose no line and leave a whole index")
    void parallel() throws Exception {
        int threads = 8;
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> adds = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                adds.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        add("com.example.Parallel" + thread + "Test", "test " + i + "()", i % 3 == 0 ? "failed: leak" : "passed");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> add : adds) {
                add.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(index().count("//tr[@class='test']")).isEqualTo(threads * perThread);
        assertThat(Files.readAllLines(root.resolve(RunIndex.LIST))).hasSize(threads * perThread);
        try (var files = Files.list(root)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(name -> name.endsWith(".tmp"))).isEmpty();
        }
    }

    private void add(String className, String testName, String verdict) throws Exception {
        Path page = TimelinePages.writePage(root, className, testName, verdict, RecordedTimelines.empty());
        TimelinePages.addToIndex(root, page, className, testName, verdict);
    }

    private PageDom index() throws Exception {
        return PageDom.ofXml(Files.readString(root.resolve(RunIndex.PAGE)));
    }
}

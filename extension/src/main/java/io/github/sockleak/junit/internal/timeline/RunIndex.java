package io.github.sockleak.junit.internal.timeline;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run's index page, {@code <root>/index.html}: every recorded test with its verdict and a link to its page,
 * grouped by class in the order the tests were recorded.
 *
 * <p>The list lives in {@code <root>/index.tsv}, one line per test, and the page is rewritten from it on each
 * addition. Additions are serialised twice: by a lock per folder within this JVM (parallel tests), and by a lock
 * on the list's file across JVMs (Surefire forks writing the same folder). The page is written to a temporary file
 * and moved into place, so a browser never reads half an index. A test recorded again replaces its line.
 */
final class RunIndex {

    static final String PAGE = "index.html";
    static final String LIST = "index.tsv";
    private static final DateTimeFormatter RECORDED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);
    /** File locks belong to the whole JVM and cannot be nested: threads of one JVM take turns here first. */
    private static final Map<Path, Object> FOLDER_LOCKS = new ConcurrentHashMap<>();

    private RunIndex() {
    }

    /** One line of the list: a recorded test. */
    record Entry(String className, String testName, String verdict, String link, Instant recorded) {

        private static final int FIELDS = 5;

        String line() {
            return String.join("\t", escape(className), escape(testName), escape(verdict), escape(link),
                    recorded.toString());
        }

        static Entry parse(String line) {
            String[] fields = line.split("\t", -1);
            if (fields.length != FIELDS) {
                throw new IllegalArgumentException("not a line of " + LIST + ": " + line);
            }
            return new Entry(unescape(fields[0]), unescape(fields[1]), unescape(fields[2]), unescape(fields[3]),
                    Instant.parse(fields[4]));
        }

        /** Tabs and line breaks would cut a line in two; a verdict or a display name can hold them. */
        private static String escape(String field) {
            return field.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
        }

        private static String unescape(String field) {
            StringBuilder text = new StringBuilder(field.length());
            for (int i = 0; i < field.length(); i++) {
                char c = field.charAt(i);
                if (c == '\\' && i + 1 < field.length()) {
                    char next = field.charAt(++i);
                    text.append(next == 't' ? '\t' : next == 'n' ? '\n' : next == 'r' ? '\r' : next);
                } else {
                    text.append(c);
                }
            }
            return text.toString();
        }
    }

    static void add(Path root, Entry entry) throws IOException {
        Path folder = root.toAbsolutePath().normalize();
        Files.createDirectories(folder);
        synchronized (FOLDER_LOCKS.computeIfAbsent(folder, f -> new Object())) {
            try (FileChannel list = FileChannel.open(folder.resolve(LIST), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock lock = list.lock()) {
                Map<List<String>, Entry> entries = new LinkedHashMap<>();
                for (Entry old : read(list)) {
                    entries.put(List.of(old.className(), old.testName()), old);
                }
                entries.put(List.of(entry.className(), entry.testName()), entry);
                write(list, entries.values());
                Path page = Files.createTempFile(folder, "index", ".tmp");
                try {
                    Files.writeString(page, html(entries.values()), StandardCharsets.UTF_8);
                    Files.move(page, folder.resolve(PAGE), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(page);
                }
            }
        }
    }

    private static List<Entry> read(FileChannel list) throws IOException {
        // The streams are not closed: that would close the channel, and with it the lock.
        list.position(0);
        String text = new String(Channels.newInputStream(list).readAllBytes(), StandardCharsets.UTF_8);
        List<Entry> entries = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isEmpty()) {
                entries.add(Entry.parse(line));
            }
        }
        return entries;
    }

    private static void write(FileChannel list, Iterable<Entry> entries) throws IOException {
        StringBuilder text = new StringBuilder();
        entries.forEach(entry -> text.append(entry.line()).append('\n'));
        list.truncate(0);
        list.position(0);
        Channels.newOutputStream(list).write(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String html(Iterable<Entry> entries) {
        Map<String, List<Entry>> byClass = new LinkedHashMap<>();
        entries.forEach(entry -> byClass.computeIfAbsent(entry.className(), c -> new ArrayList<>()).add(entry));
        Map<String, Integer> verdicts = new LinkedHashMap<>();
        byClass.values().forEach(tests -> tests.forEach(t -> verdicts.merge(VerdictStyle.of(t.verdict()), 1, Integer::sum)));
        int total = verdicts.values().stream().mapToInt(Integer::intValue).sum();

        Markup html = new Markup();
        html.raw("<!DOCTYPE html>\n").open("html", "lang", "en").open("head")
                .empty("meta", "charset", "utf-8")
                .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
                .element("title", "sockleak: recorded tests")
                .open("style").raw(PageStyle.INDEX).close("style")
                .close("head").open("body").open("main");
        html.element("h1", "Recorded tests");
        html.element("p", total + (total == 1 ? " test" : " tests") + " recorded: "
                + verdicts.getOrDefault("failed", 0) + " failed, " + verdicts.getOrDefault("passed", 0) + " passed"
                + (verdicts.containsKey("other") ? ", " + verdicts.get("other") + " other" : ""), "class", "summary");
        html.open("section", "class", "card").open("table", "class", "index");
        html.open("thead").open("tr").element("th", "Test").element("th", "Verdict").element("th", "Recorded")
                .close("tr").close("thead");
        html.open("tbody");
        for (Map.Entry<String, List<Entry>> group : byClass.entrySet()) {
            html.open("tr", "class", "class").open("th", "colspan", 3, "class", "mono").text(group.getKey())
                    .close("th").close("tr");
            for (Entry test : group.getValue()) {
                String style = VerdictStyle.of(test.verdict());
                html.open("tr", "class", "test", "data-verdict", style);
                html.open("td").element("a", test.testName(), "href", test.link()).close("td");
                html.open("td").element("span", test.verdict(), "class", "verdict " + style).close("td");
                html.element("td", RECORDED.format(test.recorded()), "class", "recorded");
                html.close("tr");
            }
        }
        html.close("tbody").close("table").close("section");
        html.element("footer", "Each test's page shows its sockets over time. Written by sockleak; the pages load "
                + "nothing else.");
        return html.close("main").close("body").close("html").raw("\n").toString();
    }
}

package io.github.sockleak.junit.internal.timeline;

import io.github.sockleak.SocketHistory;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.TcpState;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The HTML page of one recorded test: a header with the test, its verdict and how the recording was taken, the
 * legend, then the drawing. The page holds no script; a bar's tooltip (the browser's own, from SVG
 * {@code <title>}) gives the {@code ss} row at that moment.
 */
final class TimelinePage {

    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'")
            .withZone(ZoneOffset.UTC);

    private TimelinePage() {
    }

    /**
     * The page's text.
     *
     * @param indexLink the run's index, relative to the page
     */
    static String html(String className, String testName, String verdict, SocketTimeline timeline, String indexLink) {
        Markup html = new Markup();
        html.raw("<!DOCTYPE html>\n").open("html", "lang", "en").open("head")
                .empty("meta", "charset", "utf-8")
                .empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
                .element("title", testName + " \u00b7 " + className + " \u00b7 sockleak")
                .open("style").raw(PageStyle.TIMELINE).close("style")
                .close("head").open("body").open("main");
        header(html, className, testName, verdict, timeline, indexLink);
        Legend.write(html, timeline);
        html.open("section", "class", "card chart").raw(TimelineSvg.draw(timeline)).close("section");
        if (TimelineSvg.scaledByPhase(timeline)) {
            html.element("p", "Time in ms from the recording's start. Each phase is drawn to its own scale, so that a "
                    + "short test stays readable beside a long settle.", "class", "scale-note");
        }
        html.element("footer", "Hover a bar for the socket's ss row at that moment, a listener's chart for its queue. "
                + "Written by sockleak; the page loads nothing else.");
        return html.close("main").close("body").close("html").raw("\n").toString();
    }

    private static void header(Markup html, String className, String testName, String verdict,
                               SocketTimeline timeline, String indexLink) {
        html.open("header");
        html.open("p", "class", "crumbs").element("a", "All recorded tests", "href", indexLink).text(" / ")
                .element("span", className, "class", "mono test-class").close("p");
        html.element("h1", testName, "class", "test-name");
        String style = VerdictStyle.of(verdict);
        html.element("p", verdict, "class", "verdict " + style, "data-verdict", style);
        html.open("ul", "class", "facts");
        fact(html, "started", STARTED.format(timeline.startedAt()));
        fact(html, "length", Millis.format(timeline.length()));
        fact(html, "source", timeline.source().toString());
        fact(html, "sampled every", Millis.format(timeline.interval()));
        fact(html, "samples", Integer.toString(timeline.samples()));
        fact(html, "seen", timeline.sockets().size() + (timeline.sockets().size() == 1 ? " socket, " : " sockets, ")
                + timeline.listeners().size() + (timeline.listeners().size() == 1 ? " listener" : " listeners"));
        fact(html, "at the end", ends(timeline));
        html.close("ul");
        if (timeline.coarsened()) {
            html.element("p", "Coarsened: the oldest changes were merged to keep the recording within its cap, so a "
                    + "short state or queue depth may be missing from the start.", "class", "note coarsened");
        }
        html.close("header");
    }

    private static void fact(Markup html, String name, String value) {
        html.open("li").text(name + " ").element("b", value).close("li");
    }

    /** What the sockets were at the end, in a few words: {@code 1 CLOSE-WAIT, 2 gone}. */
    private static String ends(SocketTimeline timeline) {
        if (timeline.sockets().isEmpty()) {
            return "no socket";
        }
        Map<String, Long> counts = new TreeMap<>();
        for (SocketHistory socket : timeline.sockets()) {
            TcpState last = socket.spans().isEmpty() ? socket.first().state() : socket.last().state();
            counts.merge(socket.gone().isPresent() ? "gone" : last.toString(), 1L, Long::sum);
        }
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }
}

package io.github.sockleak.junit.internal.timeline;

import static io.github.sockleak.junit.internal.timeline.RecordedTimelines.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.ListenerHistory;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.SocketTimeline.Event;
import io.github.sockleak.TcpSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

@DisplayName("The timeline page")
class TimelinePageTest {

    @TempDir
    Path root;

    @Test
    @DisplayName("draws one lane per socket, labelled by its 4-tuple, ending in its last state")
    void lanes() throws IOException {
        PageDom page = page(RecordedTimelines.seedExperiment());
        List<Element> lanes = page.elements("//g[@class='lane socket']");
        assertThat(lanes).hasSize(6);
        assertThat(lanes).extracting(lane -> lane.getAttribute("data-state"))
                .containsExactly("FIN-WAIT-2", "CLOSE-WAIT", "FIN-WAIT-2", "CLOSE-WAIT", "ESTAB", "ESTAB");
        assertThat(lanes).extracting(lane -> lane.getAttribute("data-gone"))
                .containsExactly("12 ms", "12 ms", "", "15 ms", "15.2 ms", "15 ms");
        assertThat(page.text("//g[@id='socket-0']/*[@class='label']/text()"))
                .isEqualTo("127.0.0.1:50001 \u2192 127.0.0.1:41234");
        assertThat(page.count("//g[@class='lane socket']/*[@class='mark gone']")).isEqualTo(5);
        assertThat(page.text("//g[@id='socket-2']/*[contains(@class,'end')]")).isEqualTo("FIN-WAIT-2");
    }

    @Test
    @DisplayName("a span's tooltip is the ss row at that moment, with its time")
    void spanTooltip() throws IOException {
        SocketTimeline leak = RecordedTimelines.closeWaitLeak();
        TcpSocket closeWait = leak.sockets().get(0).spans().get(1).row();
        PageDom page = page(leak);
        String tooltip = page.text("//g[@id='socket-0']/rect[@data-state='CLOSE-WAIT']/title");
        assertThat(tooltip).startsWith("CLOSE-WAIT from 2.4 ms to the end (1006 ms)\nState")
                .endsWith("\n" + closeWait).contains("CLOSE-WAIT      1");
        assertThat(page.text("//g[@id='socket-0']/rect[@data-state='ESTAB']/title"))
                .startsWith("ESTAB from 1.6 ms to 2.4 ms\n");
    }

    @Test
    @DisplayName("a listener's lane charts depth, ghosts and backlog, each step's tooltip its queue and ss row")
    void listener() throws IOException {
        PageDom page = page(RecordedTimelines.seedExperiment());
        String lane = "//g[@class='lane listener'][@data-port='41234']";
        assertThat(page.count(lane)).isOne();
        assertThat(page.elements(lane + "/rect[@class='hover']/title")).extracting(Element::getTextContent)
                .hasSize(4)
                .last().asString()
                .startsWith("depth 3 (2 visible, 1 ghosts), backlog 50, drops 0, from 12 ms to 15 ms\nState")
                .contains("\nLISTEN          3     50 127.0.0.1:41234");
        assertThat(page.text(lane + "/path[@class='depth']/@d")).startsWith("M").contains(" H").contains(" V");
        assertThat(page.count(lane + "/path[@class='ghosts']")).isOne();
        assertThat(page.text(lane + "/text[@class='backlog-label']")).isEqualTo("backlog 50, off the scale");
    }

    @Test
    @DisplayName("a backlog near the queue's depth is drawn to its scale; none is drawn where the source has none")
    void backlogOnScale() throws IOException {
        SocketTimeline leak = RecordedTimelines.closeWaitLeak();
        assertThat(page(leak).text("//g[@class='lane listener']/text[@class='backlog-label']"))
                .isEqualTo("backlog 50, off the scale");
        SocketTimeline overflow = new SocketTimeline(leak.startedAt(), leak.length(), leak.interval(), leak.source(),
                leak.samples(), false, leak.phases(), List.of(), List.of(new ListenerHistory(leak.listeners().get(0).socket(),
                List.of(new ListenerHistory.Sample(ms(1), 2, 2, 0, OptionalInt.of(1), OptionalLong.empty())),
                Optional.empty())), List.of());
        PageDom page = page(overflow);
        assertThat(page.text("//g[@class='lane listener']/text[@class='backlog-label']")).isEqualTo("backlog 1");
        assertThat(page.text("//g[@class='lane listener']/text[@class='y-tick'][2]")).isEqualTo("2");
    }

    @Test
    @DisplayName("reuses and resets are marked on their sockets' lanes, the ghost on its listener's")
    void events() throws IOException {
        PageDom page = page(RecordedTimelines.seedExperiment());
        assertThat(page.count("//g[@id='socket-1']/g[@class='mark reset']")).isOne();
        assertThat(page.count("//g[@id='socket-4']/path[@class='mark reused']")).isOne();
        assertThat(page.count("//g[@id='socket-5']/path[@class='mark reused']")).isOne();
        assertThat(page.count("//g[@id='socket-0']/*[starts-with(@class,'mark re')]")).isZero();
        assertThat(page.count("//g[@id='listener-0']/path[@class='mark ghost']")).isOne();
        assertThat(page.count("//g[@class='lane unplaced']")).isZero();
    }

    @Test
    @DisplayName("an event no lane matches is still drawn, on a lane of its own")
    void unplacedEvent() throws IOException {
        SocketTimeline seed = RecordedTimelines.seedExperiment();
        TcpSocket stranger = RecordedTimelines.socket("ESTAB 0 0 10.0.0.1:1 10.0.0.2:2 ino:1");
        SocketTimeline withStranger = new SocketTimeline(seed.startedAt(), seed.length(), seed.interval(), seed.source(),
                seed.samples(), false, seed.phases(), seed.sockets(), seed.listeners(),
                List.of(new Event(ms(4), Event.Kind.RESET, stranger)));
        assertThat(page(withStranger).count("//g[@class='lane unplaced']/g[@class='mark reset']")).isOne();
    }

    @Test
    @DisplayName("the phases are bands with their names; the legend explains exactly the states drawn")
    void phasesAndLegend() throws IOException {
        PageDom page = page(RecordedTimelines.closeWaitLeak());
        assertThat(page.elements("//g[@class='phase']")).extracting(phase -> phase.getAttribute("data-phase"))
                .containsExactly("before each", "test", "after each", "settle");
        assertThat(page.elements("//g[@class='phase']/text[@class='phase-name']")).extracting(Element::getTextContent)
                .containsExactly("before each", "test", "after each", "settle");
        assertThat(page.elements("//section[contains(@class,'legend')]//li[@data-states]"))
                .extracting(li -> li.getAttribute("data-states")).containsExactly("ESTAB", "FIN-WAIT-2", "CLOSE-WAIT");
        assertThat(page.text("//li[@data-states='CLOSE-WAIT']/@class")).isEqualTo("leak");
        assertThat(page.elements("//li[@data-mark]")).extracting(li -> li.getAttribute("data-mark")).containsExactly("gone");
        assertThat(page.elements("//li[@data-line]")).extracting(li -> li.getAttribute("data-line"))
                .containsExactly("depth", "backlog");
    }

    @Test
    @DisplayName("the header names the test, its verdict and how the recording was taken")
    void header() throws IOException {
        PageDom page = page(RecordedTimelines.closeWaitLeak());
        assertThat(page.text("//h1")).isEqualTo("a test");
        assertThat(page.text("//p[contains(@class,'verdict')]")).isEqualTo("failed: leaked 1 socket in CLOSE-WAIT");
        assertThat(page.text("//p[contains(@class,'verdict')]/@data-verdict")).isEqualTo("failed");
        assertThat(page.elements("//ul[@class='facts']/li")).extracting(Element::getTextContent).containsExactly(
                "started 2026-11-29 15:44:16.250 UTC", "length 1006 ms", "source NETLINK", "sampled every 2 ms",
                "samples 503", "seen 2 sockets, 1 listener", "at the end 1 CLOSE-WAIT, 1 FIN-WAIT-2");
        assertThat(page.count("//*[contains(@class,'coarsened')]")).isZero();
        assertThat(page(RecordedTimelines.manySockets(3)).count("//p[@class='note coarsened']")).isOne();
    }

    @Test
    @DisplayName("no recorded socket: the lanes say so, and the page still has its axis and phases")
    void noSocket() throws IOException {
        PageDom page = page(RecordedTimelines.empty());
        assertThat(page.count("//g[@class='lane socket']")).isZero();
        assertThat(page.text("//text[@class='section-note'][2]")).isEqualTo("none of this process's was seen");
        assertThat(page.count("//g[@class='phase']")).isEqualTo(4);
        assertThat(page.count("//g[@class='axis']/text[@class='tick']")).isPositive();
        assertThat(page.text("//section[contains(@class,'legend')]//li")).isEqualTo("no socket seen");
    }

    @Test
    @DisplayName("200 sockets: lanes stack downwards at the same width, with the axis again below them")
    void manySockets() throws IOException {
        PageDom one = page(RecordedTimelines.manySockets(1));
        PageDom many = page(RecordedTimelines.manySockets(200));
        assertThat(many.count("//g[@class='lane socket']")).isEqualTo(200);
        assertThat(many.text("//svg[@class='timeline']/@width")).isEqualTo(one.text("//svg[@class='timeline']/@width"));
        assertThat(Double.parseDouble(many.text("//svg[@class='timeline']/@height")))
                .isEqualTo(Double.parseDouble(one.text("//svg[@class='timeline']/@height")) + 199 * SocketLane.HEIGHT + TimelineSvg.LOWER_AXIS_ROW);
        assertThat(many.count("//g[@class='axis']")).isEqualTo(2);
        assertThat(one.count("//g[@class='axis']")).isOne();
    }

    @Test
    @DisplayName("every text is escaped, and the page loads nothing: no script, no external reference")
    void escapedAndSelfContained() throws IOException {
        String hostile = "<script>alert('x')</script> & \"quoted\" \u0007bell";
        Path written = TimelinePages.writePage(root, "com.example.<Evil>", hostile, "failed: <b>bold</b>",
                RecordedTimelines.seedExperiment());
        String html = Files.readString(written, StandardCharsets.UTF_8);
        PageDom page = PageDom.ofXml(html);
        assertThat(page.text("//h1")).isEqualTo("<script>alert('x')</script> & \"quoted\" \uFFFDbell");
        assertThat(page.count("//script")).isZero();
        assertThat(page.count("//b[text()='bold']")).isZero();
        assertThat(page.count("//*[@src]")).isZero();
        assertThat(page.elements("//*[@href]")).extracting(a -> a.getAttribute("href")).containsExactly("../index.html");
        // The drawing's namespace is a name, not an address: it is never fetched.
        assertThat(html.replace("xmlns=\"http://www.w3.org/2000/svg\"", ""))
                .doesNotContain("http:", "https:", "@import", "<link", "<script").contains("<!DOCTYPE html>");
    }

    @Test
    @DisplayName("a page is written to a file-system-safe path under the class's folder, replacing an older one")
    void writtenWhere() throws IOException {
        Path first = TimelinePages.writePage(root, "com.example.FooTest", "[1] a/b (c)", "passed", RecordedTimelines.empty());
        Path again = TimelinePages.writePage(root, "com.example.FooTest", "[1] a/b (c)", "failed", RecordedTimelines.empty());
        assertThat(again).isEqualTo(first).hasParent(root.resolve("com.example.FooTest"));
        assertThat(first.getFileName().toString()).matches("_1_a_b_c_-[0-9a-f]{8}\\.html");
        assertThat(PageDom.ofXml(Files.readString(first)).text("//p[contains(@class,'verdict')]")).isEqualTo("failed");
        try (var files = Files.list(first.getParent())) {
            assertThat(files).as("no temporary file left").containsExactly(first);
        }
    }

    private PageDom page(SocketTimeline timeline) throws IOException {
        Path written = TimelinePages.writePage(root, "com.example.FirstLeakCheckTest", "a test",
                "failed: leaked 1 socket in CLOSE-WAIT", timeline);
        return PageDom.ofXml(Files.readString(written, StandardCharsets.UTF_8));
    }
}

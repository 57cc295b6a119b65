package io.github.sockleak.junit.internal.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.SocketHistory;
import io.github.sockleak.SocketRecorder;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.TcpState;
import io.github.sockleak.testing.Loopback;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

/**
 * The timeline pages opened in a real browser, the distribution's Chromium, headless: each page's screenshot is
 * kept under {@code target/sockleak-timeline-check} beside the page, and the DOM the browser built is checked for
 * what a reader needs to see. Without Chromium the tests are skipped, unless {@code -Dsockleak.requireChromium=true}
 * (CI, which installs it) makes that a failure.
 */
@DisplayName("Timeline pages in a headless Chromium")
class TimelinePageBrowserTest {

    static final Path ARTEFACTS = Path.of("target", "sockleak-timeline-check");
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 900;

    /** Chromium's profiles and output, apart from the artefacts. */
    @TempDir
    static Path chromiumWork;

    @BeforeAll
    static void needsChromium() {
        if (Boolean.getBoolean("sockleak.requireChromium")) {
            assertThat(HeadlessChromium.installed()).as("Chromium at " + HeadlessChromium.EXECUTABLE).isPresent();
        }
        assumeTrue(HeadlessChromium.installed().isPresent(), "Chromium is not installed at " + HeadlessChromium.EXECUTABLE);
    }

    @Test
    @DisplayName("a CLOSE-WAIT leak shows its lane ending in CLOSE-WAIT, striped in the leak's colour")
    void closeWaitLeak() throws Exception {
        SocketTimeline timeline = RecordedTimelines.closeWaitLeak();
        Rendered page = render("com.example.FirstLeakCheckTest", "leavesAConnectionInCloseWait()",
                "failed: leaked 1 socket in CLOSE-WAIT", timeline);

        assertThat(page.dom().text("//*[@class='lane socket'][@data-local='127.0.0.1:47942']/@data-state"))
                .isEqualTo("CLOSE-WAIT");
        assertThat(page.dom().text("(//*[@class='lane socket'][@data-local='127.0.0.1:47942']/*[@class='span'])[last()]/@data-state"))
                .isEqualTo("CLOSE-WAIT");
        assertThat(page.dom().text("//*[@class='lane socket'][@data-local='127.0.0.1:47942']/*[contains(@class,'end')]"))
                .isEqualTo("CLOSE-WAIT");
        assertThat(page.dom().text("//*[contains(@class,'legend')]//li[@data-states='CLOSE-WAIT']")).contains("a leak");
        assertThat(page.dom().text("//*[contains(@class,'verdict')]/@data-verdict")).isEqualTo("failed");
        assertThat(leakPixels(page.screenshot())).as("pixels of CLOSE-WAIT's colour in the screenshot").isGreaterThan(2000);
    }

    @Test
    @DisplayName("the seed experiment shows the accept queue rising, the reuse, the reset and the ghost")
    void seedExperiment() throws Exception {
        Rendered page = render("io.github.sockleak.examples.SeedExperimentExample",
                "clients reusing a CLOSE-WAIT child's port leave a ghost in the accept queue", "passed",
                RecordedTimelines.seedExperiment());

        String listener = "//*[@class='lane listener'][@data-port='41234']";
        assertThat(page.dom().text(listener + "/@data-max-depth")).isEqualTo("3");
        assertThat(page.dom().text(listener + "/@data-max-ghosts")).isEqualTo("1");
        assertThat(page.dom().count(listener + "/*[@class='depth']")).isOne();
        assertThat(page.dom().count(listener + "/*[@class='ghosts']")).isOne();
        assertThat(page.dom().count(listener + "/*[@class='backlog']")).isOne();
        assertThat(page.dom().count(listener + "/*[@class='mark ghost']")).isOne();
        assertThat(page.dom().count("//*[@class='lane socket']/*[@class='mark reused']")).isEqualTo(2);
        assertThat(page.dom().count("//*[@class='lane socket'][@data-local='127.0.0.1:41234'][@data-remote='127.0.0.1:50001']"
                + "[*[@class='span'][@data-state='CLOSE-WAIT']]/*[@class='mark reset']")).isOne();
        assertThat(page.dom().text("//*[contains(@class,'verdict')]/@data-verdict")).isEqualTo("passed");
        assertThat(leakPixels(page.screenshot())).as("pixels of CLOSE-WAIT's colour in the screenshot").isGreaterThan(500);
    }

    @Test
    @DisplayName("recorded from this kernel: a connection left in CLOSE-WAIT, its lane ending in CLOSE-WAIT under the test's phases")
    void recordedCloseWaitLeak() throws Exception {
        try (Loopback net = new Loopback()) {
            SocketRecorder recorder = SocketRecorder.start(Duration.ofMillis(2), Set.of());
            recorder.phase("before each");
            ServerSocket server = net.listen();
            recorder.phase("test");
            Socket client = net.connect(server.getLocalPort());
            Socket accepted = net.accept(server);
            recorder.sampleNow();
            Loopback.close(accepted);
            Loopback.awaitSnapshot("the client in CLOSE-WAIT", snapshot -> snapshot.own().stream()
                    .anyMatch(Loopback.endOf(client).and(socket -> socket.state() == TcpState.CLOSE_WAIT)));
            recorder.sampleNow();
            recorder.phase("after each");
            Loopback.close(server);
            recorder.phase("settle");
            SocketTimeline timeline = recorder.stop();

            Rendered page = render("io.github.sockleak.examples.RecordedLeakTest", "leavesAConnectionInCloseWait()",
                    "failed: leaked 1 socket in CLOSE-WAIT", timeline);

            String lane = lane(Loopback.localEnd(client), Loopback.remoteEnd(client));
            assertThat(page.dom().text(lane + "/@data-state")).isEqualTo("CLOSE-WAIT");
            assertThat(page.dom().elements(lane + "/*[@class='span']")).extracting(span -> span.getAttribute("data-state"))
                    .containsExactly("ESTAB", "CLOSE-WAIT");
            assertThat(page.dom().elements("//*[@class='phase']")).extracting(phase -> phase.getAttribute("data-phase"))
                    .containsExactly("before each", "test", "after each", "settle");
            assertThat(leakPixels(page.screenshot())).as("pixels of CLOSE-WAIT's colour in the screenshot").isGreaterThan(500);
        }
    }

    @Test
    @DisplayName("recorded from this kernel: the seed experiment, its accept queue rising to a ghost after the port reuse")
    void recordedSeedExperiment() throws Exception {
        try (Loopback net = new Loopback()) {
            SocketRecorder recorder = SocketRecorder.start(Duration.ofMillis(2), Set.of());
            recorder.phase("test");
            ServerSocket server = net.listen();
            int port = server.getLocalPort();
            recorder.sampleNow();
            int firstPort = net.queueTwoClosedClients(port);
            Loopback.awaitSnapshot("two children in CLOSE-WAIT", snapshot -> snapshot.listener(port)
                    .filter(listener -> listener.acceptQueueDepth() == 2
                            && listener.queued().stream().allMatch(child -> child.state() == TcpState.CLOSE_WAIT)).isPresent());
            recorder.sampleNow();
            net.connectFrom(firstPort, port);
            Loopback.awaitSnapshot("a ghost", snapshot -> snapshot.listener(port)
                    .filter(listener -> listener.acceptQueueDepth() == 3 && listener.ghosts() == 1).isPresent());
            recorder.sampleNow();
            SocketTimeline timeline = recorder.stop();

            Rendered page = render("io.github.sockleak.examples.SeedExperimentExample", "recorded seed experiment", "passed",
                    timeline);

            String listener = "//*[@class='lane listener'][@data-port='" + port + "']";
            assertThat(page.dom().text(listener + "/@data-max-depth")).isEqualTo("3");
            assertThat(page.dom().text(listener + "/@data-max-ghosts")).isEqualTo("1");
            assertThat(page.dom().count(listener + "/*[@class='mark ghost']")).isOne();
            InetSocketAddress serverEnd = (InetSocketAddress) server.getLocalSocketAddress();
            assertThat(page.dom().count(lane(serverEnd, new InetSocketAddress(Loopback.IPV4, firstPort))
                    + "/*[@class='mark reused']")).as("the child on the reused 4-tuple").isOne();
        }
    }

    /** The lane of the socket on this 4-tuple, the newest when the 4-tuple was reused. */
    private static String lane(InetSocketAddress local, InetSocketAddress remote) {
        return "(//*[@class='lane socket'][@data-local='" + local.getAddress().getHostAddress() + ":" + local.getPort()
                + "'][@data-remote='" + remote.getAddress().getHostAddress() + ":" + remote.getPort() + "'])[last()]";
    }

    @Test
    @DisplayName("200 sockets over a long recording: a lane each, the drawing as wide as the window allows")
    void manySockets() throws Exception {
        Rendered page = render("com.example.ChurnTest", "opens 200 connections one after another", "passed",
                RecordedTimelines.manySockets(200));

        assertThat(page.dom().count("//*[@class='lane socket'][@data-state='TIME-WAIT']")).isEqualTo(200);
        assertThat(page.dom().count("//*[contains(@class,'coarsened')]")).isOne();
    }

    @Test
    @DisplayName("a test without sockets still gets its phases, axis and legend")
    void noSocket() throws Exception {
        Rendered page = render("com.example.QuietTest", "opens nothing", "passed", RecordedTimelines.empty());

        assertThat(page.dom().text("//*[contains(@class,'legend')]//li")).isEqualTo("no socket seen");
    }

    @Test
    @DisplayName("the run's index lists every recorded test with its verdict and links to its page")
    void index() throws Exception {
        Path root = ARTEFACTS.resolve("index-check");
        Path leak = TimelinePages.writePage(root, "com.example.FirstLeakCheckTest", "leavesAConnectionInCloseWait()",
                "failed: leaked 1 socket in CLOSE-WAIT", RecordedTimelines.closeWaitLeak());
        TimelinePages.addToIndex(root, leak, "com.example.FirstLeakCheckTest", "leavesAConnectionInCloseWait()",
                "failed: leaked 1 socket in CLOSE-WAIT");
        Path seed = TimelinePages.writePage(root, "SeedExperimentExample", "ghost in the accept queue", "passed",
                RecordedTimelines.seedExperiment());
        TimelinePages.addToIndex(root, seed, "SeedExperimentExample", "ghost in the accept queue", "passed");
        Path index = root.resolve("index.html");
        HeadlessChromium chromium = new HeadlessChromium(chromiumWork);

        PageDom dom = PageDom.ofChromiumDump(chromium.dumpDom(index));
        chromium.screenshot(index, root.resolve("index.png"), WIDTH, 500);

        List<Element> rows = dom.elements("//tr[@class='test']");
        assertThat(rows).extracting(row -> row.getAttribute("data-verdict")).containsExactly("failed", "passed");
        assertThat(dom.elements("//tr[@class='test']//a")).extracting(a -> a.getAttribute("href"))
                .allSatisfy(href -> assertThat(root.resolve(href)).isRegularFile())
                .containsExactly(root.relativize(leak).toString(), root.relativize(seed).toString().replace('\\', '/'));
        PageDom page = PageDom.ofChromiumDump(chromium.dumpDom(seed));
        assertThat(seed.getParent().resolve(page.text("//*[@class='crumbs']/a/@href")).normalize())
                .isEqualTo(index.normalize());
    }

    /** A page rendered by the browser: its DOM as the browser built it, and its screenshot. */
    record Rendered(Path page, PageDom dom, Path screenshot) {
    }

    /**
     * Writes the page of a recorded timeline, opens it in Chromium, keeps the screenshot beside the page, and checks
     * what every page must show: a lane per socket ending in the socket's last state, a lane per listener, the
     * phases and the legend. A real recording can be passed as it is.
     */
    static Rendered render(String className, String testName, String verdict, SocketTimeline timeline)
            throws IOException, InterruptedException {
        Path page = TimelinePages.writePage(ARTEFACTS, className, testName, verdict, timeline);
        Path screenshot = page.resolveSibling(page.getFileName().toString().replaceFirst("\\.html$", ".png"));
        HeadlessChromium chromium = new HeadlessChromium(chromiumWork);
        chromium.screenshot(page, screenshot, WIDTH, HEIGHT);
        PageDom dom = PageDom.ofChromiumDump(chromium.dumpDom(page));

        assertThat(dom.text("//h1")).isEqualTo(testName);
        assertThat(dom.elements("//*[@class='lane socket']")).extracting(lane -> lane.getAttribute("data-state"))
                .as("one lane per socket, each ending in the socket's last state")
                .containsExactlyElementsOf(timeline.sockets().stream().map(TimelinePageBrowserTest::lastState).toList());
        assertThat(dom.count("//*[@class='lane listener']")).isEqualTo(timeline.listeners().size());
        assertThat(dom.elements("//*[@class='phase']")).extracting(phase -> phase.getAttribute("data-phase"))
                .containsExactlyElementsOf(timeline.phases().stream().map(SocketTimeline.Phase::name).toList());
        assertThat(dom.count("//*[contains(@class,'legend')]//li")).isPositive();
        return new Rendered(page, dom, screenshot);
    }

    private static String lastState(SocketHistory socket) {
        return socket.spans().get(socket.spans().size() - 1).state().toString();
    }

    /** Pixels of CLOSE-WAIT's colour or its stripes', as Chromium painted them (a step or two off, at most). */
    private static long leakPixels(Path png) throws IOException {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (near(rgb, 0xD55E00) || near(rgb, 0xA94800)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static boolean near(int rgb, int colour) {
        for (int shift = 0; shift <= 16; shift += 8) {
            if (Math.abs((rgb >> shift & 0xFF) - (colour >> shift & 0xFF)) > 3) {
                return false;
            }
        }
        return true;
    }
}

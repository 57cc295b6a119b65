package io.github.sockleak.junit.internal.timeline;

import io.github.sockleak.ListenerHistory;
import io.github.sockleak.SocketHistory;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.SocketTimeline.Event;
import io.github.sockleak.SocketTimeline.Phase;
import io.github.sockleak.TcpSocket;
import java.util.List;

/**
 * Lays out a recording as one SVG drawing: the phases as bands behind everything with their names on top, the
 * time axis, the listeners' lanes, then one lane per socket. Lanes stack downwards, so a recording of hundreds of
 * sockets makes a tall drawing of the same width; a long recording makes no wider one (see {@link TimeScale}).
 */
final class TimelineSvg {

    static final double WIDTH = 1320;
    private static final double MARGIN = 16;
    private static final double END_COLUMN = 150;
    private static final double MIN_LABEL_COLUMN = 200;
    private static final double MAX_LABEL_COLUMN = 380;
    private static final double PHASE_ROW = 24;
    private static final double AXIS_ROW = 22;
    private static final double SECTION_ROW = 26;
    /** Past this many socket lanes the axis is drawn again below them, where the reader's eye is. */
    private static final int LANES_FOR_LOWER_AXIS = 24;
    static final double LOWER_AXIS_ROW = AXIS_ROW + 4;
    /** The width of a character of a phase's name, at its size: a name too long for its tab is cut. */
    private static final double PHASE_CHAR = 7.0;
    /** Background tints of the phases in turn, and the darker tints of their name tabs. */
    private static final String[] PHASE_TINTS = {"#F1F4F8", "#F8F5EC", "#EFF6F1", "#F6F1F5"};
    private static final String[] PHASE_TABS = {"#D5DFEB", "#E9DFC3", "#D3E6D8", "#E6D6E2"};

    private final SocketTimeline timeline;
    private final LaneGeometry geometry;
    private final EventPlacement events;

    private TimelineSvg(SocketTimeline timeline) {
        this.timeline = timeline;
        int longest = timeline.sockets().stream().mapToInt(s -> Endpoints.fourTuple(s.first()).length()).max().orElse(0);
        double labelColumn = Math.min(MAX_LABEL_COLUMN,
                Math.max(MIN_LABEL_COLUMN, longest * LaneGeometry.MONO_CHAR + 24));
        double left = MARGIN + labelColumn;
        double endX = WIDTH - MARGIN - END_COLUMN;
        this.geometry = new LaneGeometry(TimeScale.of(timeline, left, endX - 24 - left), MARGIN,
                (int) ((labelColumn - 24) / LaneGeometry.MONO_CHAR), endX, WIDTH);
        this.events = EventPlacement.of(timeline);
    }

    /** The drawing, an {@code <svg>} element to be placed in a page whose style sheet is {@link PageStyle}. */
    static String draw(SocketTimeline timeline) {
        return new TimelineSvg(timeline).draw();
    }

    /** Whether the drawing's time scale differs between phases, which the page then says under it. */
    static boolean scaledByPhase(SocketTimeline timeline) {
        // The shares of the width do not depend on where the scale sits or how wide it is.
        return !TimeScale.of(timeline, 0, WIDTH).uniform();
    }

    private String draw() {
        double lanesTop = PHASE_ROW + AXIS_ROW + 6;
        double listenersTop = lanesTop + SECTION_ROW;
        double unplacedTop = listenersTop + timeline.listeners().size() * ListenerLane.HEIGHT;
        double socketsHeading = unplacedTop + (events.unplaced().isEmpty() ? 0 : SocketLane.HEIGHT);
        double socketsTop = socketsHeading + SECTION_ROW;
        double socketsHeight = Math.max(1, timeline.sockets().size()) * SocketLane.HEIGHT;
        double lanesBottom = socketsTop + socketsHeight;
        boolean lowerAxis = timeline.sockets().size() > LANES_FOR_LOWER_AXIS;
        double height = lanesBottom + (lowerAxis ? LOWER_AXIS_ROW : 0) + 8;

        Markup svg = new Markup();
        svg.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "timeline", "width", WIDTH, "height", height,
                "viewBox", "0 0 " + Markup.number(WIDTH) + " " + Markup.number(height), "role", "img",
                "aria-label", "Timeline of the recorded sockets");
        defs(svg);
        svg.empty("rect", "class", "canvas", "x", 0, "y", 0, "width", WIDTH, "height", height);
        phases(svg, lanesBottom);
        svg.element("text", "at the end", "class", "end-heading", "x", geometry.endX(), "y", 16);
        axis(svg, PHASE_ROW + 16, lanesTop - 4, lanesBottom);
        if (lowerAxis) {
            axis(svg, lanesBottom + AXIS_ROW - 2, lanesBottom, lanesBottom);
        }

        heading(svg, "Listeners", timeline.listeners().isEmpty() ? "none seen" : null, lanesTop);
        svg.open("g", "class", "listeners");
        ListenerLane listenerLane = new ListenerLane(geometry, timeline.length());
        List<ListenerHistory> listeners = timeline.listeners();
        for (int i = 0; i < listeners.size(); i++) {
            listenerLane.draw(svg, i, listeners.get(i), events.onListener(i), listenersTop + i * ListenerLane.HEIGHT);
        }
        svg.close("g");
        if (!events.unplaced().isEmpty()) {
            unplaced(svg, unplacedTop);
        }

        List<SocketHistory> sockets = timeline.sockets();
        heading(svg, sockets.isEmpty() ? "Sockets" : sockets.size() == 1 ? "1 socket" : sockets.size() + " sockets",
                sockets.isEmpty() ? "none of this process's was seen" : null, socketsHeading);
        svg.open("g", "class", "sockets");
        SocketLane socketLane = new SocketLane(geometry, timeline.length());
        for (int i = 0; i < sockets.size(); i++) {
            socketLane.draw(svg, i, sockets.get(i), events.onSocket(i), socketsTop + i * SocketLane.HEIGHT);
        }
        svg.close("g");
        return svg.close("svg").toString();
    }

    /** The stripes that mark CLOSE-WAIT, referred to by every leak bar and by the legend's swatch. */
    private static void defs(Markup svg) {
        svg.open("defs");
        svg.open("pattern", "id", StateStyle.LEAK_PATTERN, "width", 8, "height", 8, "patternUnits", "userSpaceOnUse",
                "patternTransform", "rotate(45)");
        svg.empty("rect", "width", 8, "height", 8, "fill", StateStyle.LEAK.colour());
        svg.empty("rect", "width", 3, "height", 8, "fill", "#A94800");
        svg.close("pattern").close("defs");
    }

    private void phases(Markup svg, double bottom) {
        TimeScale scale = geometry.scale();
        List<Phase> phases = timeline.phases();
        for (int i = 0; i < phases.size(); i++) {
            Phase phase = phases.get(i);
            double from = scale.x(phase.from());
            double width = scale.x(phase.to()) - from;
            svg.open("g", "class", "phase", "data-phase", phase.name(), "data-from", Millis.format(phase.from()),
                    "data-to", Millis.format(phase.to()));
            svg.element("title", phase.name() + ": " + Millis.format(phase.from()) + " to " + Millis.format(phase.to()));
            svg.empty("rect", "class", "phase-band", "x", from, "y", PHASE_ROW, "width", width,
                    "height", bottom - PHASE_ROW, "fill", PHASE_TINTS[i % PHASE_TINTS.length]);
            svg.empty("rect", "class", "phase-tab", "x", from, "y", 2, "width", width, "height", PHASE_ROW - 4,
                    "rx", 3, "fill", PHASE_TABS[i % PHASE_TABS.length]);
            int fits = (int) ((width - 8) / PHASE_CHAR);
            if (fits >= 2) {
                svg.element("text", Labels.fit(phase.name(), fits), "class", "phase-name", "x", from + width / 2, "y", 16);
            }
            svg.close("g");
        }
    }

    /** The axis's labels at {@code labelsY} and its grid lines from {@code gridTop} down to {@code gridBottom}. */
    private void axis(Markup svg, double labelsY, double gridTop, double gridBottom) {
        svg.open("g", "class", "axis");
        // The unit follows the last tick's label: "1006 ms".
        svg.element("text", "ms", "class", "axis-unit", "x", geometry.scale().right() + 18, "y", labelsY);
        for (TimeScale.Tick tick : geometry.scale().ticks()) {
            svg.empty("line", "class", tick.boundary() ? "grid boundary" : "grid", "x1", tick.x(), "x2", tick.x(),
                    "y1", gridTop, "y2", gridBottom);
            if (!tick.label().isEmpty()) {
                svg.element("text", tick.label(), "class", "tick", "x", tick.x(), "y", labelsY);
            }
        }
        svg.close("g");
    }

    private void heading(Markup svg, String title, String note, double top) {
        svg.element("text", title, "class", "section", "x", MARGIN, "y", top + 18);
        if (note != null) {
            svg.element("text", note, "class", "section-note", "x", geometry.scale().left(), "y", top + 18);
        }
    }

    /** Marked events whose socket has no lane, on a lane of their own so that none is lost. */
    private void unplaced(Markup svg, double top) {
        svg.open("g", "class", "lane unplaced");
        svg.element("text", "other events", "class", "label", "x", MARGIN, "y", top + 15);
        for (Event event : events.unplaced()) {
            double x = geometry.scale().x(event.at());
            String title = event.kind() + " at " + Millis.format(event.at()) + "\n" + TcpSocket.table(List.of(event.socket()));
            switch (event.kind()) {
                case REUSED -> Marks.reuse(svg, x, top + SocketLane.HEIGHT / 2, title);
                case RESET -> Marks.reset(svg, x, top + SocketLane.HEIGHT / 2, title);
                default -> Marks.ghost(svg, x, top + SocketLane.HEIGHT / 2, title);
            }
        }
        svg.close("g");
    }
}

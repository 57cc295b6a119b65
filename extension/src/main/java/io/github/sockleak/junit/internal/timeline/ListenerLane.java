package io.github.sockleak.junit.internal.timeline;

import io.github.sockleak.ListenerHistory;
import io.github.sockleak.ListenerHistory.Sample;
import io.github.sockleak.SocketTimeline.Event;
import io.github.sockleak.internal.SsTable;
import java.time.Duration;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.OptionalInt;

/**
 * One listener's lane: its accept queue's depth as a filled step chart, its ghosts as a dotted step line, its
 * backlog as a dashed line, with the queue's numbers and the {@code ss} row at each moment as tooltips.
 */
final class ListenerLane {

    static final double HEIGHT = 92;
    private static final double CHART_TOP = 26;
    private static final double CHART_BOTTOM = 82;
    /** How far above the chart a backlog too large for its scale is drawn, apart from the scale's top. */
    private static final double ABOVE_SCALE = 12;
    /** A backlog up to this many times the deepest queue is drawn to scale; a larger one along the top. */
    private static final int BACKLOG_ON_SCALE = 2;

    private final LaneGeometry geometry;
    private final Duration length;

    ListenerLane(LaneGeometry geometry, Duration length) {
        this.geometry = geometry;
        this.length = length;
    }

    void draw(Markup svg, int index, ListenerHistory listener, List<Event> ghosts, double top) {
        List<Sample> samples = listener.samples();
        int deepest = listener.maxDepth();
        int mostGhosts = listener.maxGhosts();
        OptionalInt backlog = samples.stream().filter(s -> s.backlog().isPresent())
                .mapToInt(s -> s.backlog().getAsInt()).max();
        int scaleTop = Math.max(1, Math.max(deepest, mostGhosts));
        boolean backlogOnScale = backlog.isPresent() && backlog.getAsInt() <= BACKLOG_ON_SCALE * scaleTop;
        if (backlogOnScale) {
            scaleTop = Math.max(scaleTop, backlog.getAsInt());
        }
        Chart chart = new Chart(top + CHART_TOP, top + CHART_BOTTOM, scaleTop);

        svg.open("g", "class", "lane listener", "id", "listener-" + index, "data-port", listener.port(),
                "data-local", Endpoints.local(listener.socket()), "data-max-depth", deepest,
                "data-max-ghosts", mostGhosts, "data-backlog", backlog.isPresent() ? backlog.getAsInt() : null,
                "data-gone", listener.gone().map(Millis::format).orElse(null));
        svg.empty("rect", "class", "lane-bg", "x", 0, "y", top, "width", geometry.width(), "height", HEIGHT);
        svg.element("text", "LISTEN " + Endpoints.local(listener.socket()), "class", "label",
                "x", geometry.labelX(), "y", top + 44);
        svg.element("text", facts(deepest, mostGhosts, backlog), "class", "label-note",
                "x", geometry.labelX(), "y", top + 61);

        drawChart(svg, listener, ghosts, chart, backlog, backlogOnScale, scaleTop);
        listener.gone().ifPresent(gone -> Marks.gone(svg, geometry.scale().x(gone), top + CHART_TOP - 4,
                CHART_BOTTOM - CHART_TOP + 8, "gone at " + Millis.format(gone)));
        svg.element("text", atTheEnd(listener), "class", listener.gone().isPresent() ? "end gone" : "end open",
                "x", geometry.endX(), "y", top + 44);
        svg.close("g");
    }

    /** The chart of a listener (a history has at least one sample): scale, depth, ghosts, backlog, tooltips, ghost marks. */
    private void drawChart(Markup svg, ListenerHistory listener, List<Event> ghosts, Chart chart, OptionalInt backlog,
                           boolean backlogOnScale, int scaleTop) {
        List<Sample> samples = listener.samples();
        Duration end = listener.gone().orElse(length);
        double left = geometry.scale().left();
        svg.empty("line", "class", "baseline", "x1", left, "x2", geometry.scale().right(), "y1", chart.bottom(),
                "y2", chart.bottom());
        svg.empty("line", "class", "gridline", "x1", left, "x2", geometry.scale().right(), "y1", chart.y(scaleTop),
                "y2", chart.y(scaleTop));
        svg.element("text", "0", "class", "y-tick", "x", left - 5, "y", chart.bottom() + 3.5);
        svg.element("text", Integer.toString(scaleTop), "class", "y-tick", "x", left - 5, "y", chart.y(scaleTop) + 3.5);

        String depth = steps(samples, Sample::depth, chart, end);
        svg.empty("path", "class", "depth-area", "d", depth + " V" + Markup.number(chart.bottom()) + " H"
                + Markup.number(geometry.scale().x(samples.get(0).at())) + " Z");
        svg.empty("path", "class", "depth", "d", depth);
        if (samples.stream().anyMatch(sample -> sample.ghosts() > 0)) {
            svg.empty("path", "class", "ghosts", "d", steps(samples, Sample::ghosts, chart, end));
        }
        drawBacklog(svg, samples, backlog, backlogOnScale, chart, end);
        drawHoverTargets(svg, listener, chart, end);
        for (Event ghost : ghosts) {
            Marks.ghost(svg, geometry.scale().x(ghost.at()), chart.y(ghostsAt(samples, ghost.at())) - 7,
                    "ghost appeared at " + Millis.format(ghost.at()) + ": the queue counts a connection no table shows");
        }
    }

    /** The vertical scale of a lane's chart, from 0 at the bottom to {@code scaleTop} at the top. */
    private record Chart(double top, double bottom, int scaleTop) {

        double y(double value) {
            return bottom - Math.min(value, scaleTop) / scaleTop * (bottom - top);
        }
    }

    /** A step chart's line: each value holds from its sample until the next, the last until {@code end}. */
    private String steps(List<Sample> samples, ToIntFunction<Sample> value, Chart chart, Duration end) {
        StringBuilder path = new StringBuilder();
        for (Sample sample : samples) {
            String x = Markup.number(geometry.scale().x(sample.at()));
            String y = Markup.number(chart.y(value.applyAsInt(sample)));
            path.append(path.length() == 0 ? "M" + x + " " + y : " H" + x + " V" + y);
        }
        return path.append(" H").append(Markup.number(geometry.scale().x(end))).toString();
    }

    /** The backlog where the source shows it: to scale, or along the chart's top when it dwarfs the queue. */
    private void drawBacklog(Markup svg, List<Sample> samples, OptionalInt backlog, boolean onScale, Chart chart,
                             Duration end) {
        if (backlog.isEmpty()) {
            return;
        }
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < samples.size(); i++) {
            OptionalInt value = samples.get(i).backlog();
            if (value.isPresent()) {
                double y = onScale ? chart.y(value.getAsInt()) : chart.top() - ABOVE_SCALE;
                path.append(" M").append(Markup.number(geometry.scale().x(samples.get(i).at()))).append(' ')
                        .append(Markup.number(y)).append(" H")
                        .append(Markup.number(geometry.scale().x(i + 1 < samples.size() ? samples.get(i + 1).at() : end)));
            }
        }
        svg.empty("path", "class", "backlog", "d", path.toString().strip());
        // The label sits above the line's start, where the eye meets the line.
        int first = 0;
        while (samples.get(first).backlog().isEmpty()) {
            first++;
        }
        double labelY = (onScale ? chart.y(backlog.getAsInt()) : chart.top() - ABOVE_SCALE) - 3;
        svg.element("text", onScale ? "backlog " + backlog.getAsInt() : "backlog " + backlog.getAsInt() + ", off the scale",
                "class", "backlog-label", "x", geometry.scale().x(samples.get(first).at()), "y", labelY);
    }

    /** Invisible bands, one per sample, whose tooltip is the queue and its {@code ss} row at that moment. */
    private void drawHoverTargets(Markup svg, ListenerHistory listener, Chart chart, Duration end) {
        List<Sample> samples = listener.samples();
        for (int i = 0; i < samples.size(); i++) {
            Sample sample = samples.get(i);
            Duration until = i + 1 < samples.size() ? samples.get(i + 1).at() : end;
            double from = geometry.scale().x(sample.at());
            svg.open("rect", "class", "hover", "x", from, "y", chart.top(), "width", Math.max(2, geometry.scale().x(until) - from),
                    "height", chart.bottom() - chart.top());
            svg.element("title", "depth " + sample.depth() + " (" + sample.queued() + " visible, " + sample.ghosts()
                    + " ghosts), backlog " + (sample.backlog().isPresent() ? sample.backlog().getAsInt() : "unknown")
                    + (sample.drops().isPresent() ? ", drops " + sample.drops().getAsLong() : "")
                    + ", from " + Millis.format(sample.at()) + " to " + Millis.format(until) + "\n"
                    + SsTable.HEADER + "\n" + row(listener, sample));
            svg.close("rect");
        }
    }

    /** The listener's line as {@code ss -tan} prints it at that sample: Recv-Q the depth, Send-Q the backlog. */
    private static String row(ListenerHistory listener, Sample sample) {
        return String.format("%-10s %6d %6s %-22s %-22s %s", "LISTEN", sample.depth(),
                sample.backlog().isPresent() ? Integer.toString(sample.backlog().getAsInt()) : "?",
                Endpoints.local(listener.socket()), "*:*", listener.socket().owner());
    }

    /** {@code gone at 15 ms}, or {@code LISTEN, depth 3, 1 ghosts}. */
    private static String atTheEnd(ListenerHistory listener) {
        if (listener.gone().isPresent()) {
            return "gone at " + Millis.format(listener.gone().get());
        }
        Sample last = listener.samples().get(listener.samples().size() - 1);
        return "LISTEN, depth " + last.depth() + (last.ghosts() > 0 ? ", " + last.ghosts() + " ghosts" : "");
    }

    /** The ghosts of the sample in force at {@code at}: where a ghost's mark sits on the ghosts' line. */
    private static int ghostsAt(List<Sample> samples, Duration at) {
        int ghosts = 0;
        for (Sample sample : samples) {
            if (sample.at().compareTo(at) <= 0) {
                ghosts = sample.ghosts();
            }
        }
        return ghosts;
    }

    private static String facts(int deepest, int mostGhosts, OptionalInt backlog) {
        return "deepest " + deepest + ", ghosts " + mostGhosts + ", backlog "
                + (backlog.isPresent() ? backlog.getAsInt() : "unknown");
    }
}

package io.github.sockleak.junit.internal.timeline;

import io.github.sockleak.SocketHistory;
import io.github.sockleak.SocketHistory.Span;
import io.github.sockleak.SocketTimeline.Event;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import java.time.Duration;
import java.util.List;

/**
 * One socket's lane: its 4-tuple, a bar per state coloured by {@link StateStyle} with the {@code ss} row at that
 * moment as its tooltip, a bar where it is gone, its marked events, and what it ended as.
 */
final class SocketLane {

    static final double HEIGHT = 22;
    private static final double BAR_TOP = 4;
    private static final double BAR_HEIGHT = 14;
    /** The width of a character of a state's name written on a bar, at its size. */
    private static final double STATE_CHAR = 6.8;

    private final LaneGeometry geometry;
    private final Duration length;

    SocketLane(LaneGeometry geometry, Duration length) {
        this.geometry = geometry;
        this.length = length;
    }

    void draw(Markup svg, int index, SocketHistory socket, List<Event> events, double top) {
        TcpState last = socket.spans().isEmpty() ? socket.first().state() : socket.last().state();
        svg.open("g", "class", "lane socket", "id", "socket-" + index, "data-local", Endpoints.local(socket.first()),
                "data-remote", Endpoints.remote(socket.first()), "data-state", last.toString(),
                "data-gone", socket.gone().map(Millis::format).orElse(null));
        svg.empty("rect", "class", "lane-bg", "x", 0, "y", top, "width", geometry.width(), "height", HEIGHT);
        String label = Endpoints.fourTuple(socket.first());
        svg.open("text", "class", "label", "x", geometry.labelX(), "y", top + 15)
                .element("title", label + "\n" + TcpSocket.table(List.of(socket.first())))
                .text(Labels.fit(label, geometry.labelChars()))
                .close("text");
        List<Double> marks = events.stream().map(event -> geometry.scale().x(event.at())).toList();
        for (Span span : socket.spans()) {
            drawSpan(svg, span, span == socket.spans().get(socket.spans().size() - 1) && socket.gone().isEmpty(), marks,
                    top);
        }
        socket.gone().ifPresent(gone -> Marks.gone(svg, geometry.scale().x(gone), top + 1, HEIGHT - 2,
                "gone at " + Millis.format(gone)));
        for (Event event : events) {
            double x = geometry.scale().x(event.at());
            String title = title(event);
            if (event.kind() == Event.Kind.REUSED) {
                Marks.reuse(svg, x, top + HEIGHT / 2, title);
            } else {
                Marks.reset(svg, x, top + HEIGHT / 2, title);
            }
        }
        drawEnd(svg, socket, last, top);
        svg.close("g");
    }

    private void drawSpan(Markup svg, Span span, boolean lasting, List<Double> marks, double top) {
        StateStyle style = StateStyle.of(span.state());
        double from = geometry.scale().x(span.from());
        // A state seen by one sample only still gets a visible sliver.
        double width = Math.max(2, geometry.scale().x(span.to()) - from);
        String until = lasting ? "the end (" + Millis.format(length) + ")" : Millis.format(span.to());
        svg.open("rect", "class", "span", "data-state", span.state().toString(), "x", from, "y", top + BAR_TOP,
                "width", width, "height", BAR_HEIGHT, "rx", 2.5, "fill", style.fill());
        svg.element("title", span.state() + " from " + Millis.format(span.from()) + " to " + until + "\n"
                + TcpSocket.table(List.of(span.row())));
        svg.close("rect");
        String name = span.state().toString();
        // The name steps aside for a mark at the span's start, such as the diamond of a reused 4-tuple.
        double indent = marks.stream().anyMatch(x -> Math.abs(x - from) < 8) ? 11 : 5;
        if (width >= name.length() * STATE_CHAR + indent + 5) {
            svg.element("text", name, "class", "span-label", "x", from + indent, "y", top + BAR_TOP + 10.5,
                    "fill", style.textColour());
        }
    }

    private void drawEnd(Markup svg, SocketHistory socket, TcpState last, double top) {
        if (socket.gone().isPresent()) {
            svg.element("text", "gone at " + Millis.format(socket.gone().get()), "class", "end gone",
                    "x", geometry.endX(), "y", top + 15);
        } else {
            StateStyle style = StateStyle.of(last);
            svg.element("text", last.toString(), "class", style == StateStyle.LEAK ? "end open leak" : "end open",
                    "x", geometry.endX(), "y", top + 15);
        }
    }

    private static String title(Event event) {
        String what = event.kind() == Event.Kind.REUSED
                ? "4-tuple reused: a new socket where a gone one was"
                : "reset: gone without passing through a closing state";
        return what + ", at " + Millis.format(event.at()) + "\n" + TcpSocket.table(List.of(event.socket()));
    }
}

package io.github.sockleak.junit.internal.timeline;

import io.github.sockleak.ListenerHistory;
import io.github.sockleak.SocketHistory;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.SocketTimeline.Event;
import io.github.sockleak.TcpState;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Explains every colour, line and mark the drawing uses, and only those: a legend listing states nobody saw
 * would send the reader looking for them.
 */
final class Legend {

    private Legend() {
    }

    static void write(Markup html, SocketTimeline timeline) {
        html.open("section", "class", "card legend", "aria-label", "Legend");
        states(html, timeline);
        if (!timeline.listeners().isEmpty()) {
            queues(html, timeline);
        }
        marks(html, timeline);
        html.close("section");
    }

    private static void states(Markup html, SocketTimeline timeline) {
        Set<TcpState> seen = EnumSet.noneOf(TcpState.class);
        timeline.sockets().forEach(socket -> socket.spans().forEach(span -> seen.add(span.state())));
        html.open("div", "class", "legend-states").element("h2", "Socket states").open("ul");
        if (seen.isEmpty()) {
            html.element("li", "no socket seen");
        }
        for (StateStyle style : StateStyle.values()) {
            String names = style.states().stream().filter(seen::contains).map(TcpState::toString)
                    .collect(Collectors.joining(", "));
            if (names.isEmpty()) {
                continue;
            }
            html.open("li", "class", style == StateStyle.LEAK ? "leak" : null, "data-states", names.replace(", ", " "));
            swatch(html).empty("rect", "x", 1, "y", 1, "width", 26, "height", 12, "rx", 2.5, "fill", style.fill());
            html.close("svg").element("b", names).text(" " + style.meaning()).close("li");
        }
        html.close("ul").close("div");
    }

    private static void queues(Markup html, SocketTimeline timeline) {
        html.open("div", "class", "legend-queues").element("h2", "Accept queues").open("ul");
        html.open("li", "data-line", "depth");
        swatch(html).empty("path", "class", "depth-area", "d", "M1 13 V6 H14 V3 H27 V13 Z")
                .empty("path", "class", "depth", "d", "M1 6 H14 V3 H27");
        html.close("svg").element("b", "depth").text(" connections waiting to be accepted").close("li");
        if (timeline.listeners().stream().flatMap(l -> l.samples().stream()).anyMatch(s -> s.ghosts() > 0)) {
            html.open("li", "data-line", "ghosts");
            swatch(html).empty("path", "class", "ghosts", "d", "M2 7 H27");
            html.close("svg").element("b", "ghosts").text(" counted in the queue, shown by no table").close("li");
        }
        if (timeline.listeners().stream().flatMap(l -> l.samples().stream()).anyMatch(s -> s.backlog().isPresent())) {
            html.open("li", "data-line", "backlog");
            swatch(html).empty("path", "class", "backlog", "d", "M1 7 H27");
            html.close("svg").element("b", "backlog").text(" the most the queue holds").close("li");
        }
        html.close("ul").close("div");
    }

    private static void marks(Markup html, SocketTimeline timeline) {
        boolean gone = timeline.sockets().stream().map(SocketHistory::gone).anyMatch(Optional::isPresent)
                || timeline.listeners().stream().map(ListenerHistory::gone).anyMatch(Optional::isPresent);
        Set<Event.Kind> kinds = EnumSet.noneOf(Event.Kind.class);
        timeline.events().stream().map(Event::kind).filter(EventPlacement.MARKED::contains).forEach(kinds::add);
        if (!gone && kinds.isEmpty()) {
            return;
        }
        html.open("div", "class", "legend-marks").element("h2", "Marks").open("ul");
        if (gone) {
            html.open("li", "data-mark", "gone");
            Marks.gone(swatch(html), 14, 0, 14, "gone");
            html.close("svg").element("b", "gone").text(" the socket left the kernel's table").close("li");
        }
        if (kinds.contains(Event.Kind.REUSED)) {
            html.open("li", "data-mark", "reused");
            Marks.reuse(swatch(html), 14, 7, "reused");
            html.close("svg").element("b", "reused").text(" a new socket on a gone one's 4-tuple").close("li");
        }
        if (kinds.contains(Event.Kind.RESET)) {
            html.open("li", "data-mark", "reset");
            Marks.reset(swatch(html), 14, 7, "reset");
            html.close("svg").element("b", "reset").text(" gone without closing").close("li");
        }
        if (kinds.contains(Event.Kind.GHOST)) {
            html.open("li", "data-mark", "ghost");
            Marks.ghost(swatch(html), 14, 7, "ghost");
            html.close("svg").element("b", "ghost").text(" appeared in an accept queue").close("li");
        }
        html.close("ul").close("div");
    }

    /** Opens the small drawing before a legend entry's words; the caller closes it. */
    private static Markup swatch(Markup html) {
        return html.open("svg", "class", "swatch", "width", 28, "height", 14, "viewBox", "0 0 28 14", "aria-hidden", "true");
    }
}

package io.github.sockleak.junit.internal.timeline;

/**
 * The small shapes drawn on lanes, told apart by shape as well as colour: a bar where a socket is gone, a diamond
 * where a 4-tuple was reused, a cross where a connection was reset, a downward triangle where a ghost appeared in an
 * accept queue. The legend draws the same shapes.
 */
final class Marks {

    static final String GONE_COLOUR = "#333333";
    static final String REUSE_COLOUR = "#332288";
    static final String RESET_COLOUR = "#1A1A1A";
    static final String GHOST_COLOUR = "#882255";

    private Marks() {
    }

    /** A bar across the lane at the moment the socket was first missing. */
    static void gone(Markup svg, double x, double top, double height, String title) {
        svg.open("rect", "class", "mark gone", "x", x - 1.5, "y", top, "width", 3.0, "height", height, "rx", 1.0,
                "fill", GONE_COLOUR);
        svg.element("title", title).close("rect");
    }

    static void reuse(Markup svg, double x, double y, String title) {
        svg.open("path", "class", "mark reused", "d", "M" + Markup.number(x) + " " + Markup.number(y - 6)
                        + " l6 6 l-6 6 l-6 -6 z", "fill", REUSE_COLOUR, "stroke", "#FFFFFF", "stroke-width", 1.5);
        svg.element("title", title).close("path");
    }

    static void reset(Markup svg, double x, double y, String title) {
        String cross = "M" + Markup.number(x - 4.5) + " " + Markup.number(y - 4.5) + " l9 9 m0 -9 l-9 9";
        svg.open("g", "class", "mark reset");
        // A white halo first, so that the cross shows on a dark span as on a light one.
        svg.empty("path", "d", cross, "stroke", "#FFFFFF", "stroke-width", 5.0, "stroke-linecap", "round");
        svg.empty("path", "d", cross, "stroke", RESET_COLOUR, "stroke-width", 2.2, "stroke-linecap", "round");
        svg.element("title", title).close("g");
    }

    static void ghost(Markup svg, double x, double y, String title) {
        svg.open("path", "class", "mark ghost", "d", "M" + Markup.number(x - 6) + " " + Markup.number(y - 5)
                + " h12 l-6 10 z", "fill", GHOST_COLOUR, "stroke", "#FFFFFF", "stroke-width", 1.5);
        svg.element("title", title).close("path");
    }
}

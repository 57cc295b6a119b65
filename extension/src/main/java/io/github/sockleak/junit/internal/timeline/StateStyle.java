package io.github.sockleak.junit.internal.timeline;

import io.github.sockleak.TcpState;
import java.util.EnumSet;
import java.util.Set;

/**
 * The colour of each TCP state on the page, one colour per kind of state. The colours are Paul Tol's and Okabe and
 * Ito's, which people with the common colour-vision deficiencies tell apart by lightness as well as hue; CLOSE-WAIT,
 * the leak, is the one strong warm colour and is striped besides, so it stands out without relying on hue.
 */
enum StateStyle {
    CONNECTED("connected", "#4477AA", "#FFFFFF", EnumSet.of(TcpState.ESTABLISHED)),
    HANDSHAKE("handshake in progress", "#88CCEE", "#1B2A33",
            EnumSet.of(TcpState.SYN_SENT, TcpState.SYN_RECV, TcpState.NEW_SYN_RECV)),
    LISTENING("listening", "#44AA99", "#FFFFFF", EnumSet.of(TcpState.LISTEN)),
    CLOSING("closing, this end or both", "#DDCC77", "#3A3416",
            EnumSet.of(TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, TcpState.CLOSING, TcpState.LAST_ACK)),
    TIME_WAIT("closed, waiting out late segments", "#BBBBBB", "#2B2B2B", EnumSet.of(TcpState.TIME_WAIT)),
    UNCONNECTED("not connected", "#E2E2E2", "#2B2B2B", EnumSet.of(TcpState.CLOSE)),
    LEAK("the peer closed, this end never did: a leak when it lasts", "#D55E00", "#FFFFFF",
            EnumSet.of(TcpState.CLOSE_WAIT));

    /** The id of the stripes that mark CLOSE-WAIT, defined once per drawing. */
    static final String LEAK_PATTERN = "close-wait-stripes";

    private final String meaning;
    private final String colour;
    private final String textColour;
    private final Set<TcpState> states;

    StateStyle(String meaning, String colour, String textColour, Set<TcpState> states) {
        this.meaning = meaning;
        this.colour = colour;
        this.textColour = textColour;
        this.states = states;
    }

    static StateStyle of(TcpState state) {
        for (StateStyle style : values()) {
            if (style.states.contains(state)) {
                return style;
            }
        }
        throw new IllegalArgumentException("no colour for " + state);
    }

    /** What a span of this colour is, for the legend. */
    String meaning() {
        return meaning;
    }

    String colour() {
        return colour;
    }

    /** The paint of a span: the stripes for the leak, else the plain colour. */
    String fill() {
        return this == LEAK ? "url(#" + LEAK_PATTERN + ")" : colour;
    }

    /** The colour of a state's name written on a span of this colour. */
    String textColour() {
        return textColour;
    }

    Set<TcpState> states() {
        return states;
    }
}

package io.github.sockleak;

import java.util.EnumSet;
import java.util.Set;

/**
 * The state of a TCP socket as the kernel numbers it ({@code include/net/tcp_states.h}).
 *
 * <p>{@link #toString()} gives the spelling {@code ss} prints ({@code "CLOSE-WAIT"}, {@code "ESTAB"}),
 * so reports read like the tool people already know; {@link #name()} stays the Java constant.
 */
public enum TcpState {
    /** Connected: data flows both ways. */
    ESTABLISHED(0x01, "ESTAB"),
    /** A client's connect, waiting for the peer's answer. */
    SYN_SENT(0x02, "SYN-SENT"),
    /** A handshake in progress on the listener's side (older kernels; newer ones show {@link #NEW_SYN_RECV}). */
    SYN_RECV(0x03, "SYN-RECV"),
    /** Closed here, the FIN not yet acknowledged. */
    FIN_WAIT1(0x04, "FIN-WAIT-1"),
    /** Closed here and acknowledged; waiting for the peer to close. */
    FIN_WAIT2(0x05, "FIN-WAIT-2"),
    /** Both ends closed; kept a while so that late segments are not taken for a new connection. */
    TIME_WAIT(0x06, "TIME-WAIT"),
    /** Not connected: a socket created or bound but neither listening nor connected. */
    CLOSE(0x07, "UNCONN"),
    /** The peer closed and this end has not: the state of a leaked connection. */
    CLOSE_WAIT(0x08, "CLOSE-WAIT"),
    /** Closed here after the peer; waiting for the last acknowledgement. */
    LAST_ACK(0x09, "LAST-ACK"),
    /** A listening socket. */
    LISTEN(0x0A, "LISTEN"),
    /** Both ends closed at once; waiting for the acknowledgement. */
    CLOSING(0x0B, "CLOSING"),
    /** A handshake in progress, held in the listener's SYN queue. */
    NEW_SYN_RECV(0x0C, "NEW-SYN-RECV");

    private static final TcpState[] BY_CODE = new TcpState[0x0D];

    static {
        for (TcpState state : values()) {
            BY_CODE[state.code] = state;
        }
    }

    private final int code;
    private final String ssName;

    TcpState(int code, String ssName) {
        this.code = code;
        this.ssName = ssName;
    }

    /**
     * The kernel's number for this state, as {@code /proc/net/tcp} prints it in hex in column {@code st}.
     *
     * @return the number
     */
    public int code() {
        return code;
    }

    /**
     * The state with the kernel's number {@code code}.
     *
     * @param code the kernel's number for the state
     * @return the state
     * @throws IllegalArgumentException if the kernel has no such state
     */
    public static TcpState ofCode(int code) {
        if (code <= 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("no TCP state has the number 0x" + Integer.toHexString(code));
        }
        return BY_CODE[code];
    }

    /**
     * Parses a state by its Java name ({@code CLOSE_WAIT}) or its {@code ss} spelling ({@code CLOSE-WAIT}), ignoring case.
     *
     * @param text the state as ss prints it or as the Java constant is named
     * @return the state
     */
    public static TcpState parse(String text) {
        String wanted = text.trim();
        for (TcpState state : values()) {
            if (state.name().equalsIgnoreCase(wanted) || state.ssName.equalsIgnoreCase(wanted)) {
                return state;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a TCP state; expected one of " + EnumSet.allOf(TcpState.class));
    }

    /**
     * Whether a single socket in this state can later be seen in {@code later}: the TCP state machine only
     * moves forward, so a 4-tuple that was CLOSE-WAIT and is now ESTABLISHED belongs to a new socket.
     *
     * @param later a state seen afterwards
     * @return whether {@code later} can be the same socket later on
     */
    public boolean canBecome(TcpState later) {
        return this == later || successors().contains(later);
    }

    private Set<TcpState> successors() {
        switch (this) {
            case SYN_SENT:
                return EnumSet.of(SYN_RECV, ESTABLISHED, FIN_WAIT1, FIN_WAIT2, CLOSING, TIME_WAIT, CLOSE_WAIT, LAST_ACK, CLOSE);
            case SYN_RECV:
            case NEW_SYN_RECV:
                return EnumSet.of(SYN_RECV, ESTABLISHED, FIN_WAIT1, FIN_WAIT2, CLOSING, TIME_WAIT, CLOSE_WAIT, LAST_ACK, CLOSE);
            case ESTABLISHED:
                return EnumSet.of(FIN_WAIT1, FIN_WAIT2, CLOSING, TIME_WAIT, CLOSE_WAIT, LAST_ACK, CLOSE);
            case FIN_WAIT1:
                return EnumSet.of(FIN_WAIT2, CLOSING, TIME_WAIT, CLOSE);
            case FIN_WAIT2:
            case CLOSING:
                return EnumSet.of(TIME_WAIT, CLOSE);
            case CLOSE_WAIT:
                return EnumSet.of(LAST_ACK, CLOSE);
            case LAST_ACK:
            case TIME_WAIT:
            case LISTEN:
                return EnumSet.of(CLOSE);
            default:
                return EnumSet.noneOf(TcpState.class);
        }
    }

    @Override
    public String toString() {
        return ssName;
    }
}

package io.github.sockleak.junit.internal.timeline;

/** Fits labels into the room the drawing has for them. */
final class Labels {

    private Labels() {
    }

    /**
     * The label cut in the middle to at most {@code chars} characters: both ports stay readable, and the lane's
     * tooltip has the whole label. Long IPv6 addresses need it, and a phase's name in a narrow band.
     */
    static String fit(String label, int chars) {
        if (label.length() <= chars) {
            return label;
        }
        int head = (chars - 1) / 2;
        int tail = chars - 1 - head;
        return label.substring(0, head) + "\u2026" + label.substring(label.length() - tail);
    }
}

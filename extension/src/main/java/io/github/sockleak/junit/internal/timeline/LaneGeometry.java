package io.github.sockleak.junit.internal.timeline;

/**
 * Where the columns of a drawing are: the labels on the left, the time scale in the middle, what each lane ended
 * as on the right.
 *
 * @param scale      the time scale, between the label column and the end column
 * @param labelX     where labels start
 * @param labelChars how many characters of a monospaced label fit before the time scale
 * @param endX       where the end column starts
 * @param width      the whole drawing's width
 */
record LaneGeometry(TimeScale scale, double labelX, int labelChars, double endX, double width) {

    /** The width of a character of the lanes' monospaced labels, at their size, in the fonts browsers pick for it. */
    static final double MONO_CHAR = 7.0;
}

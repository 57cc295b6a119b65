package io.github.sockleak.junit.internal;

/** Which checks record a timeline, and which of the timelines are kept. */
public enum TimelineMode {
    /** No recording. */
    OFF,
    /** Every check records; a timeline is kept for a test that failed or leaked, dropped for the others. */
    ON_FAILURE,
    /** Every check records, and every timeline is kept. */
    ALWAYS
}

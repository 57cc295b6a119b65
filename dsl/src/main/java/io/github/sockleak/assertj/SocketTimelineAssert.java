package io.github.sockleak.assertj;

import io.github.sockleak.SocketTimeline;

/** Assertions on a {@link SocketTimeline}; see {@link AbstractSocketTimelineAssert}. */
public class SocketTimelineAssert extends AbstractSocketTimelineAssert<SocketTimelineAssert> {

    /**
     * An assertion on {@code actual}; {@link SocketAssertions#assertThat(SocketTimeline)} is the usual way in.
     *
     * @param actual the value to check
     */
    public SocketTimelineAssert(SocketTimeline actual) {
        super(actual, SocketTimelineAssert.class);
    }
}

package io.github.sockleak;

import java.time.Duration;
import java.util.Locale;

/** How a timeline's times read in a summary: whole milliseconds, thousands grouped, {@code 1,000 ms}. */
final class TimelineText {

    private TimelineText() {
    }

    /** {@code 1,000}: the milliseconds alone, for {@code 0-12 ms}. */
    static String millis(Duration time) {
        return String.format(Locale.ROOT, "%,d", time.toMillis());
    }

    /** {@code 1,000 ms}. */
    static String ms(Duration time) {
        return millis(time) + " ms";
    }
}

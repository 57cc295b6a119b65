package io.github.sockleak.junit.internal.timeline;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/** Times of a recording in milliseconds, as the page prints them: {@code 12 ms}, {@code 0.25 ms}, {@code 1032 ms}. */
final class Millis {

    private Millis() {
    }

    static double of(Duration time) {
        return time.toNanos() / 1e6;
    }

    /** {@code 12.5 ms}: a tenth of a millisecond below 100 ms, whole milliseconds above, where a tenth is noise. */
    static String format(Duration time) {
        double millis = of(time);
        return number(millis, millis < 100 ? 1 : 0) + " ms";
    }

    /** A tick's value without unit, with as many decimals as its step needs ({@code 0.05} steps need two). */
    static String number(double millis, int decimals) {
        return BigDecimal.valueOf(millis).setScale(decimals, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}

package io.github.sockleak.junit.internal.timeline;

import java.util.Locale;

/** How a verdict, given in words, is coloured: passed, failed, or neither (skipped, aborted). */
final class VerdictStyle {

    private VerdictStyle() {
    }

    /** {@code passed}, {@code failed} or {@code other}: the CSS class and {@code data-verdict} of the verdict. */
    static String of(String verdict) {
        String words = verdict.strip().toLowerCase(Locale.ROOT);
        if (words.startsWith("passed")) {
            return "passed";
        }
        return words.startsWith("skipped") || words.startsWith("aborted") || words.startsWith("disabled") ? "other" : "failed";
    }
}

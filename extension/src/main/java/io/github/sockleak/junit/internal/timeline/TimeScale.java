package io.github.sockleak.junit.internal.timeline;

import io.github.sockleak.ListenerHistory;
import io.github.sockleak.SocketHistory;
import io.github.sockleak.SocketTimeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Maps a recording's time to x, phase by phase. A checked test often runs for milliseconds and then settles for a
 * second: drawn to one scale, everything that matters would fill the first few pixels. So each stretch between
 * phase boundaries gets a small share of the width, and the rest is shared half by length and half by how many
 * changes (state changes, queue samples, departures, events) fall in it; within a stretch the scale is linear, and
 * the ticks are placed per stretch so that they still read true.
 */
final class TimeScale {

    /** The share of the width every stretch gets at least, as long as these shares add up to little. */
    private static final double MIN_SHARE = 0.1;
    private static final double MAX_SHARE_OF_MINIMUMS = 0.4;
    /** The part of the rest shared by changes rather than by length, when anything changed at all. */
    private static final double CHANGES_WEIGHT = 0.5;
    /** Ticks closer than this, in pixels, would make their labels run into each other. */
    private static final double TICK_SPACING = 80;
    private static final double EDGE_CLEARANCE = 40;

    private final List<Stretch> stretches;
    private final double left;
    private final double width;

    private TimeScale(List<Stretch> stretches, double left, double width) {
        this.stretches = stretches;
        this.left = left;
        this.width = width;
    }

    /** A stretch of time and the pixels it is drawn on. */
    record Stretch(double fromMillis, double toMillis, double fromX, double toX) {

        double x(double millis) {
            return fromX + (millis - fromMillis) / (toMillis - fromMillis) * (toX - fromX);
        }

        double pixelsPerMilli() {
            return (toX - fromX) / (toMillis - fromMillis);
        }
    }

    /** A tick of the time axis; a boundary tick marks where a stretch, and its scale, begins. */
    record Tick(double x, String label, boolean boundary) {
    }

    static TimeScale of(SocketTimeline timeline, double left, double width) {
        double length = Millis.of(timeline.length());
        TreeSet<Double> boundaries = new TreeSet<>(List.of(0.0, length));
        for (SocketTimeline.Phase phase : timeline.phases()) {
            boundaries.add(Math.min(length, Math.max(0, Millis.of(phase.from()))));
            boundaries.add(Math.min(length, Math.max(0, Millis.of(phase.to()))));
        }
        List<Double> times = new ArrayList<>(boundaries);
        int count = times.size() - 1;
        if (count == 0) {
            return new TimeScale(List.of(), left, width);
        }
        double minShare = Math.min(MIN_SHARE, MAX_SHARE_OF_MINIMUMS / count);
        int[] changes = changesPerStretch(timeline, times);
        int allChanges = IntStream.of(changes).sum();
        double byChanges = allChanges == 0 ? 0 : CHANGES_WEIGHT;
        List<Stretch> stretches = new ArrayList<>();
        double x = left;
        for (int i = 0; i < count; i++) {
            double from = times.get(i);
            double to = times.get(i + 1);
            double share = minShare + (1 - count * minShare)
                    * ((1 - byChanges) * (to - from) / length + (allChanges == 0 ? 0 : byChanges * changes[i] / allChanges));
            double next = i == count - 1 ? left + width : x + share * width;
            stretches.add(new Stretch(from, to, x, next));
            x = next;
        }
        return new TimeScale(List.copyOf(stretches), left, width);
    }

    /** How many distinct moments of change fall in each stretch between {@code boundaries}. */
    private static int[] changesPerStretch(SocketTimeline timeline, List<Double> boundaries) {
        TreeSet<Double> moments = new TreeSet<>();
        for (SocketHistory socket : timeline.sockets()) {
            socket.spans().forEach(span -> moments.add(Millis.of(span.from())));
            socket.gone().ifPresent(gone -> moments.add(Millis.of(gone)));
        }
        for (ListenerHistory listener : timeline.listeners()) {
            listener.samples().forEach(sample -> moments.add(Millis.of(sample.at())));
            listener.gone().ifPresent(gone -> moments.add(Millis.of(gone)));
        }
        timeline.events().forEach(event -> moments.add(Millis.of(event.at())));
        int[] changes = new int[boundaries.size() - 1];
        for (double moment : moments) {
            int stretch = 0;
            while (stretch < changes.length - 1 && moment >= boundaries.get(stretch + 1)) {
                stretch++;
            }
            changes[stretch]++;
        }
        return changes;
    }

    double left() {
        return left;
    }

    double right() {
        return left + width;
    }

    double x(Duration time) {
        return x(Millis.of(time));
    }

    double x(double millis) {
        if (stretches.isEmpty()) {
            return left;
        }
        for (Stretch stretch : stretches) {
            if (millis <= stretch.toMillis()) {
                return millis <= stretch.fromMillis() ? stretch.fromX() : stretch.x(millis);
            }
        }
        return right();
    }

    /** Whether every stretch has the same scale, within a tenth: then the page need not warn that scales differ. */
    boolean uniform() {
        double least = stretches.stream().mapToDouble(Stretch::pixelsPerMilli).min().orElse(1);
        double most = stretches.stream().mapToDouble(Stretch::pixelsPerMilli).max().orElse(1);
        return most <= least * 1.1;
    }

    /**
     * The axis's ticks: one at each boundary, and between them round values (1, 2 or 5 times a power of ten
     * milliseconds) at least {@link #TICK_SPACING} pixels apart, kept clear of the boundaries' labels.
     */
    List<Tick> ticks() {
        List<Tick> ticks = new ArrayList<>();
        for (Stretch stretch : stretches) {
            boolean crowded = !ticks.isEmpty() && stretch.fromX() - ticks.get(ticks.size() - 1).x() < EDGE_CLEARANCE;
            ticks.add(new Tick(stretch.fromX(), crowded ? "" : label(stretch.fromMillis()), true));
            double step = roundStep(TICK_SPACING / stretch.pixelsPerMilli());
            // Multiples of the step counted, not summed, so that 0.1 steps do not drift into 0.30000000000000004.
            for (long k = (long) Math.ceil(stretch.fromMillis() / step); k * step < stretch.toMillis(); k++) {
                double at = k * step;
                double x = stretch.x(at);
                if (x - stretch.fromX() >= EDGE_CLEARANCE && stretch.toX() - x >= EDGE_CLEARANCE) {
                    ticks.add(new Tick(x, Millis.number(at, decimals(step)), false));
                }
            }
        }
        if (!stretches.isEmpty()) {
            Stretch last = stretches.get(stretches.size() - 1);
            ticks.add(new Tick(last.toX(), label(last.toMillis()), true));
        }
        return ticks;
    }

    private static String label(double millis) {
        return Millis.number(millis, millis < 100 ? 1 : 0);
    }

    /** The smallest of 1, 2, 5 times a power of ten that is at least {@code atLeast}. */
    static double roundStep(double atLeast) {
        double power = Math.pow(10, Math.floor(Math.log10(atLeast)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= atLeast * (1 - 1e-9)) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    private static int decimals(double step) {
        return Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9));
    }
}

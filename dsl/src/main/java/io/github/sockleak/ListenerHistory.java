package io.github.sockleak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One listener's accept queue over a recording, as a step chart: a sample each time its depth, visible children,
 * ghosts, backlog or drops changed. Immutable.
 *
 * @param socket  the listening socket as first seen
 * @param samples the changes in order, the first being the listener as first seen; never empty
 * @param gone    when the listener was first missing, or empty when it was there at the end of the recording
 */
public record ListenerHistory(TcpSocket socket, List<Sample> samples, Optional<Duration> gone) {

    /** How many depths a {@link #summary()} lists before it counts the middle ones instead. */
    private static final int DEPTHS_SHOWN = 8;

    /**
     * A listener's history.
     *
     * @param socket  the listening socket as first seen
     * @param samples the changes in order, the first being the listener as first seen; copied
     * @param gone    when the listener was first missing, or empty
     * @throws IllegalArgumentException when {@code samples} is empty: a history begins with the listener as first seen
     */
    public ListenerHistory {
        samples = List.copyOf(samples);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("a listener's history starts with the listener as first seen");
        }
    }

    /**
     * The local port it listens on.
     *
     * @return the port
     */
    public int port() {
        return socket.local().getPort();
    }

    /**
     * The deepest its accept queue was seen.
     *
     * @return the greatest depth
     */
    public int maxDepth() {
        return samples.stream().mapToInt(Sample::depth).max().orElse(0);
    }

    /**
     * The most ghosts it was seen with.
     *
     * @return the greatest number of ghosts
     */
    public int maxGhosts() {
        return samples.stream().mapToInt(Sample::ghosts).max().orElse(0);
    }

    /**
     * The queue as the recording last saw it at {@code at}.
     *
     * @param at a time from the recording's start
     * @return the sample in force then, or empty before the listener was first seen and from when it was gone
     */
    public Optional<Sample> at(Duration at) {
        if (gone.isPresent() && gone.get().compareTo(at) <= 0) {
            return Optional.empty();
        }
        Sample inForce = null;
        for (Sample sample : samples) {
            if (sample.at().compareTo(at) > 0) {
                break;
            }
            inForce = sample;
        }
        return Optional.ofNullable(inForce);
    }

    /**
     * The history in one line, for a report: {@code depth 0 -> 1 (3 ms) -> 2 (4 ms); ghost at 19 ms}. The depth
     * as first seen (with its time when that was not the recording's start), then each change with its time; past {@value #DEPTHS_SHOWN} changes the middle ones are
     * counted, not listed, and the deepest is named. Then ghosts appearing, handshakes dropped, and the listener
     * closing, when they happened.
     *
     * @return the line
     */
    public String summary() {
        List<String> depths = new ArrayList<>();
        List<String> ghostsAppearing = new ArrayList<>();
        Sample previous = null;
        for (Sample sample : samples) {
            if (previous == null) {
                // A listener there from the start reads "depth 0"; one opened later says when it was first seen.
                depths.add(sample.depth() + (sample.at().isZero() ? "" : " (" + TimelineText.ms(sample.at()) + ")"));
            } else if (sample.depth() != previous.depth()) {
                depths.add(sample.depth() + " (" + TimelineText.ms(sample.at()) + ")");
            }
            int newGhosts = sample.ghosts() - (previous == null ? 0 : previous.ghosts());
            if (newGhosts > 0) {
                ghostsAppearing.add((newGhosts == 1 ? "ghost" : newGhosts + " ghosts") + " at " + TimelineText.ms(sample.at()));
            }
            previous = sample;
        }
        StringBuilder line = new StringBuilder("depth ").append(String.join(" -> ", shortened(depths)));
        if (depths.size() > DEPTHS_SHOWN) {
            line.append(" (deepest ").append(maxDepth()).append(')');
        }
        if (!ghostsAppearing.isEmpty()) {
            line.append("; ").append(String.join(", ", ghostsAppearing));
        }
        long dropped = dropped();
        if (dropped > 0) {
            line.append("; ").append(dropped).append(dropped == 1 ? " handshake" : " handshakes").append(" dropped");
        }
        gone.ifPresent(at -> line.append("; closed at ").append(TimelineText.ms(at)));
        return line.toString();
    }

    /** The first changes and the last, the middle counted. */
    private static List<String> shortened(List<String> depths) {
        if (depths.size() <= DEPTHS_SHOWN) {
            return depths;
        }
        int edge = DEPTHS_SHOWN / 2;
        List<String> shown = new ArrayList<>(depths.subList(0, edge));
        shown.add("... " + (depths.size() - 2 * edge) + " more changes ...");
        shown.addAll(depths.subList(depths.size() - edge, depths.size()));
        return shown;
    }

    /** Handshakes the listener dropped during the recording, where the source counts them. */
    private long dropped() {
        OptionalLong first = samples.get(0).drops();
        OptionalLong last = samples.get(samples.size() - 1).drops();
        return first.isPresent() && last.isPresent() ? last.getAsLong() - first.getAsLong() : 0;
    }

    /**
     * The listener's queue from one time on, until the next sample.
     *
     * @param at      when the read that saw the change ended
     * @param depth   the accept queue's depth
     * @param queued  the children visible in it
     * @param ghosts  depth minus visible children
     * @param backlog the backlog, where the source shows it
     * @param drops   the listener's dropped connections, where the source counts them
     */
    public record Sample(Duration at, int depth, int queued, int ghosts, OptionalInt backlog, OptionalLong drops) {
    }
}

package io.github.sockleak.junit.internal;

import io.github.sockleak.SocketRecorder;
import io.github.sockleak.SocketTimeline;
import io.github.sockleak.internal.ListedDescriptors;
import io.github.sockleak.junit.internal.timeline.TimelinePages;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A check's recording, from its start to its verdict: the recorder with the phases the extension can see, then the
 * timeline for the report's history lines and, when it is kept, its page. A recording that fails, or a page that
 * cannot be written, becomes a note: it never replaces the test's failure or the report.
 */
final class CheckTimeline {

    /** Names of the phases, as the page and the report show them. */
    static final String BEFORE_EACH = "before each";
    static final String TEST = "test";
    static final String AFTER_EACH = "after each";
    static final String CLASS = "class";
    static final String SETTLE = "settle";

    private final LeakSettings settings;
    private final String what;
    private SocketRecorder recorder;
    private String startFailure;
    private final Optional<Set<Long>> descriptorsAtStart;

    private CheckTimeline(LeakSettings settings, String what, SocketRecorder recorder, String startFailure,
                          Optional<Set<Long>> descriptorsAtStart) {
        this.settings = settings;
        this.what = what;
        this.recorder = recorder;
        this.startFailure = startFailure;
        this.descriptorsAtStart = descriptorsAtStart;
    }

    /** Starts recording, unless timelines are off; the first phase is {@code firstPhase}. */
    static CheckTimeline start(LeakSettings settings, String what, String firstPhase) {
        if (settings.timelineMode() == TimelineMode.OFF) {
            return new CheckTimeline(settings, what, null, null, Optional.empty());
        }
        try {
            ListedDescriptors.Listed<SocketRecorder> started = ListedDescriptors.during(() -> settings.source() == null
                    ? SocketRecorder.start(settings.timelineSampling(), settings.watchPorts())
                    : SocketRecorder.start(settings.source(), settings.timelineSampling(), settings.watchPorts()));
            started.value().phase(firstPhase);
            return new CheckTimeline(settings, what, started.value(), null, started.socketInodes());
        } catch (RuntimeException e) {
            return new CheckTimeline(settings, what, null, e.getMessage(), Optional.empty());
        }
    }

    /**
     * This process's socket descriptors as the first sample listed them, of every kind, if it was taken: the
     * baseline need not list them again a moment later.
     */
    Optional<Set<Long>> descriptorsAtStart() {
        return descriptorsAtStart;
    }

    void phase(String name) {
        if (recorder != null) {
            recorder.phase(name);
        }
    }

    /**
     * Ends the recording; nothing of it is kept here after.
     *
     * @return the timeline, or why there is none; empty with no reason when timelines are off
     */
    Recorded stop() {
        if (recorder == null) {
            return drop(); // nothing recorded: at most why not
        }
        SocketRecorder stopping = recorder;
        recorder = null;
        startFailure = null;
        try {
            return new Recorded(Optional.of(stopping.stop()), Optional.empty());
        } catch (RuntimeException e) {
            return new Recorded(Optional.empty(), Optional.of(notRecorded(e.getMessage())));
        }
    }

    /**
     * Ends the recording without its last sample and drops it, for a check whose timeline is not kept: most checks
     * are clean, and a sample is a good part of what recording costs them.
     *
     * @return no timeline, and why none was recorded if the recording could not start
     */
    Recorded drop() {
        if (recorder != null) {
            recorder.close();
            recorder = null;
        }
        Recorded dropped = new Recorded(Optional.empty(), Optional.ofNullable(startFailure).map(this::notRecorded));
        startFailure = null;
        return dropped;
    }

    private String notRecorded(String reason) {
        return "sockleak: the sockets of " + what + " were not recorded as a timeline: " + reason;
    }

    /** Whether a check with this outcome keeps its timeline: always, or when the test failed or leaked. */
    boolean keeps(boolean failedOrLeaked) {
        return settings.timelineMode() == TimelineMode.ALWAYS || settings.timelineMode() == TimelineMode.ON_FAILURE && failedOrLeaked;
    }

    /**
     * Writes the timeline's page and lists it in the run's index.
     *
     * @return the page's path, or the note that says why it could not be written
     */
    Page writePage(SocketTimeline timeline, String className, String testName, String verdict) {
        Path root = settings.timelineDirectory();
        try {
            Path page = TimelinePages.writePage(root, className, testName, verdict, timeline);
            TimelinePages.addToIndex(root, page, className, testName, verdict);
            return new Page(Optional.of(page), Optional.empty());
        } catch (IOException | RuntimeException e) {
            return new Page(Optional.empty(), Optional.of("sockleak: could not write the timeline page of " + what
                    + " under " + root.toAbsolutePath() + ": " + e));
        }
    }

    /**
     * What a recording left.
     *
     * @param timeline the timeline, when recorded
     * @param note     why none was recorded, when that was a failure
     */
    record Recorded(Optional<SocketTimeline> timeline, Optional<String> note) {

        /** No timeline, for reports about other checks' sockets. */
        static final Recorded NONE = new Recorded(Optional.empty(), Optional.empty());

        /** When the settle began, and how long it ran: the report's {@code (test ended at X ms, settled Y ms)}. */
        Optional<SocketTimeline.Phase> settle() {
            return timeline.flatMap(t -> t.phases().stream().filter(phase -> phase.name().equals(SETTLE)).findFirst());
        }

        static Duration length(SocketTimeline.Phase phase) {
            return phase.to().minus(phase.from());
        }
    }

    /**
     * A page written, or why not.
     *
     * @param path the page's path
     * @param note why it could not be written
     */
    record Page(Optional<Path> path, Optional<String> note) {
    }
}

package io.github.sockleak.junit.internal.origins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TestMarks: which test a thread works for, inherited or carried by a task")
class TestMarksTest {

    private static final Object UNCHANGED = new Object();

    @Test
    @DisplayName("gives a task its submitter's mark on a thread that inherited another test's, and the inherited one back")
    void taskMarkOverInherited() throws Exception {
        TestMarks.Marking starter = TestMarks.begin("TestMarksTest.starter()");
        try {
            Handover submitted = Handover.of(new TestMark("TestMarksTest.submitter()"), null, false);
            AtomicReference<TestMark> during = new AtomicReference<>();
            AtomicReference<TestMark> after = new AtomicReference<>();
            runOnThreadStartedHere(() -> {
                Object previous = TestMarks.enterTask(submitted, UNCHANGED);
                during.set(TestMarks.current());
                TestMarks.exitTask(previous);
                after.set(TestMarks.toCarry(false).mark());
            });

            assertThat(during.get()).isSameAs(submitted.mark());
            assertThat(after.get()).as("the mark the thread inherited").isSameAs(starter.mark());
        } finally {
            starter.end();
        }
    }

    @Test
    @DisplayName("a check that ended during a probe did not end before it; one that ended earlier did")
    void endedBeforeAProbe() {
        TestMark mark = new TestMark("TestMarksTest.ended()");
        long beforeEnd = System.nanoTime();
        assertThat(mark.endedBefore(beforeEnd)).as("still running").isFalse();
        mark.end();
        long afterEnd = System.nanoTime();
        assertThat(mark.isRunning()).isFalse();
        assertThat(mark.endedBefore(beforeEnd)).as("ended after a probe that began before the end").isFalse();
        assertThat(mark.endedBefore(afterEnd + 1)).as("ended before a probe that began after it").isTrue();
    }

    @Test
    @DisplayName("runs a task submitted for no test with no mark on a thread that inherited one")
    void noMarkOverInherited() throws Exception {
        TestMarks.Marking starter = TestMarks.begin("TestMarksTest.starter()");
        try {
            AtomicReference<Object> during = new AtomicReference<>(UNCHANGED);
            runOnThreadStartedHere(() -> {
                Object previous = TestMarks.enterTask(null, UNCHANGED);
                during.set(TestMarks.toCarry(false));
                TestMarks.exitTask(previous);
            });

            assertThat(during.get()).isNull();
        } finally {
            starter.end();
        }
    }

    @Test
    @DisplayName("keeps the mark of a test's own thread for a task without one that it runs itself")
    void ownMarkKept() {
        TestMarks.Marking own = TestMarks.begin("TestMarksTest.own()");
        try {
            assertThat(TestMarks.enterTask(null, UNCHANGED)).isSameAs(UNCHANGED);
            assertThat(TestMarks.toCarry(false).mark()).isSameAs(own.mark());
        } finally {
            own.end();
        }
    }

    @Test
    @DisplayName("carries no mark of an ended check")
    void endedMarkNotCarried() {
        TestMarks.begin("TestMarksTest.ended()").end();

        assertThat(TestMarks.toCarry(false)).isNull();
    }

    private static void runOnThreadStartedHere(Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failed.set(e);
            }
        }, "inherits");
        thread.start();
        thread.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(thread.isAlive()).isFalse();
        assertThat(failed.get()).isNull();
    }

    @Test
    @DisplayName("keeps the submitting stack of a test's first handovers only, and its mark on every one")
    void submissionStacksOfTheFirstHandovers() {
        TestMarks.Marking marking = TestMarks.begin("TestMarksTest.submissionStacks()");
        try {
            for (int handover = 1; handover <= TestMark.SUBMISSION_STACKS; handover++) {
                assertThat(TestMarks.toCarry(true).stack()).as("handover %d", handover).isNotNull();
            }
            Handover past = TestMarks.toCarry(true);
            assertThat(past.stack()).isNull();
            assertThat(past.mark()).isSameAs(marking.mark());
        } finally {
            marking.end();
        }
    }
}

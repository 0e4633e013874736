package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jdi.ThreadReference;
import com.sun.jdi.request.BreakpointRequest;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkStatus;
import io.kworker.testing.Await;
import io.kworker.testing.Breakpoints;
import io.kworker.testing.Gate;
import io.kworker.testing.Jdi;
import io.kworker.testing.WorkerTestKit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fixed in f0631f6 (the lost wake-up came with a7b20f9's lazy report): a report linked without waking the
 * actor lost the wake-up of a request linked behind it.
 *
 * <p>The inbox's Dekker handshake needs every producer to read {@code awake} after it has linked: the
 * actor's {@code sleep()} (awake = 0, then head.next) cannot see a request hidden behind a producer that
 * won the tail and has not written {@code t.next} yet, so that producer must wake the actor once it has.
 * The lane's report, when it had answered every waiter itself, did not. Interleaving:
 * <ol>
 *   <li>actor in onWake, about to sleep (awake == 1);
 *   <li>lane: report of a run a façade cancelSync waits for: link() wins the tail, preempted before
 *       {@code t.next = report};
 *   <li>caller: status(probe) links behind the report, reads awake == 1: taken, no Wake;
 *   <li>actor: sleep(): awake = 0, head.next == null: idle;
 *   <li>lane: {@code t.next = report}, answers the cancelSync, wakes no one.
 * </ol>
 * The caller's request stayed in the inbox of an idle worker until something else woke it. Found by the
 * independent review. Guards that the request linked behind the deferred report is served.
 *
 * <p>The preemptions are made deterministic with JDI breakpoints in this very JVM, on the lines marked
 * {@code // JDI mark [link]}, {@code [sleep]} (Inbox.java) and {@code [idle]} (WorkerBehavior.java), as in
 * {@link DrainGapTest}; tagged {@code jdi}, it runs the same way, and without the JDWP agent it is
 * skipped.
 */
@Tag(Jdi.TAG)
class DeferredWakeTest {
  // a platform lane: the JDI sees no virtual thread without the JDWP option includevirtualthreads (Java 21+)
  static final WorkerTestKit kit = WorkerTestKit.withConfig("kworker.execution = dedicated");

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  @Test
  void aRequestLinkedBehindADeferredReportIsServed() throws Exception {
    KWorker worker = kit.newWorker("rv-deferred-wake");
    try (Breakpoints points = Breakpoints.attach()) { // first: without the JDWP agent the test is skipped
      Work probe = Work.of("probe", () -> {});
      Gate gate = new Gate();
      AtomicReference<String> laneName = new AtomicReference<>();
      Work running = Work.of("running", w -> {
        laneName.set(Thread.currentThread().getName());
        gate.pass();
      });
      result(worker.queue(running));
      gate.awaitEntered();
      CompletableFuture<Boolean> cancelled = worker.cancelSync(running).toCompletableFuture();
      assertEquals(1, result(worker.status(running)).canceling(), "the cancelSync is parked on the run");

      // 1. the actor, in onWake, stops just before sleep() clears `awake`
      BreakpointRequest sleepBp = points.onWorker("Inbox", "sleep", "sleep", worker.name());
      worker.status(probe); // a wake-up, so that the actor reaches sleep() at least once more
      ThreadReference actor = points.awaitHit(sleepBp);

      // 2. the lane reports the run: the cancelSync is its only waiter, so the report goes in lazily;
      //    it stops between winning the tail and linking the node
      BreakpointRequest linkBp = points.onThread("Inbox", "link", "link", points.thread(laneName.get()));
      gate.open();
      points.awaitHit(linkBp);

      // 3. a caller links behind the report while awake == 1: no Wake is sent (correctly: the actor
      //    is draining, and whoever hides a request from it must wake it)
      CompletableFuture<WorkStatus> stranded = worker.status(probe).toCompletableFuture();

      // 4. the actor clears awake, sees no next request (the gap) and goes idle
      BreakpointRequest idleBp = points.onThread("WorkerBehavior", "onWake", "idle", actor);
      points.release(sleepBp);
      points.awaitHit(idleBp);

      // 5. the lane links the report and answers the cancelSync; it must wake the actor for the caller
      points.release(linkBp);
      assertFalse(result(cancelled), "the run was not pending: cancelSync gives false");
      points.release(idleBp);

      try {
        stranded.get(Await.LONG_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        fail("status(probe), linked behind the lane's deferred report while the actor was about to sleep, "
            + "was never served: the actor went idle and the report's enqueue sent no Wake");
      }
    }
  }
}

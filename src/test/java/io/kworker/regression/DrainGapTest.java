package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import akka.Done;
import com.sun.jdi.request.BreakpointRequest;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.Breakpoints;
import io.kworker.testing.Gate;
import io.kworker.testing.Jdi;
import io.kworker.testing.WorkerTestKit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fixed in 2452dd0: drain completed while a chained queue was still unserved in the inbox. The drain
 * ended when no instance had been dispatched since its barrier went in, having just polled the inbox; but
 * a request is published in two steps (take the tail, then link {@code t.next = r}), and a producer
 * preempted between them hid every later request from the poll. So the chained queue made by the work that
 * ran just before the drain's barrier could be invisible when the barrier's report was handled: the drain
 * completed, and the chained work was queued and ran afterwards. (cancelSync and flush(work) were safe
 * from this through the run's count of its calls; drain was not.) Found by the independent review; the
 * actor now takes every request that got in before, even past a producer that has not linked yet. Guards
 * that drain completes only after the chained work ran.
 *
 * <p>The preemption is made deterministic with a JDI breakpoint, in this very JVM, on the line of
 * {@code Inbox.link} marked {@code // JDI mark [link]}, for one producer thread only. The test is tagged
 * {@code jdi}: {@code mvn test} runs it in a JVM of its own with the JDWP agent (the pom's {@code jdi}
 * execution); without the agent it is skipped.
 */
@Tag(Jdi.TAG)
class DrainGapTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  @Test
  void drainCompletesOnlyAfterTheChainedWorkRan() throws Exception {
    KWorker worker = kit.newWorker("rv-drain-gap"); // loads Inbox
    Work probe = Work.of("probe", () -> {});
    CountDownLatch go = new CountDownLatch(1);
    Thread producer = new Thread(() -> {
      Await.await(go);
      worker.status(probe);
    }, "rv-gap-producer");
    producer.setDaemon(true);
    producer.start();

    try (Breakpoints points = Breakpoints.attach()) {
      BreakpointRequest bp = points.onThread("Inbox", "link", "link", points.thread("rv-gap-producer"));

      AtomicInteger chainedRuns = new AtomicInteger();
      Work chained = Work.of("chained", () -> chainedRuns.incrementAndGet());
      Work parent = Work.of("parent", w -> worker.queue(chained));
      Gate gate = new Gate();
      result(worker.queue(Work.of("gate", w -> gate.pass())));
      gate.awaitEntered();
      result(worker.queue(parent));
      CompletableFuture<Done> drained = worker.drain().toCompletableFuture();
      result(worker.status(probe)); // the drain has been served: its barrier is behind [parent]
      go.countDown();
      points.awaitHit(bp); // the producer won the Inbox tail and has not linked its request
      AtomicInteger seenAtCompletion = new AtomicInteger(-1);
      CompletableFuture<Void> observed = drained.thenRun(() -> seenAtCompletion.set(chainedRuns.get()));
      gate.open(); // [parent] runs, queues [chained] (behind the gap) and returns; then the barrier
      try {
        observed.get(5, TimeUnit.SECONDS);
        fail("drain completed while the chained work queued by [parent] had run " + seenAtCompletion.get()
            + " time(s): it was still hidden in the Inbox behind a producer that had not linked yet");
      } catch (java.util.concurrent.TimeoutException fine) {
        // a correct drain waits for the chained call
      }
      points.release(bp);
      result(observed);
      assertEquals(1, seenAtCompletion.get());
    }
  }
}

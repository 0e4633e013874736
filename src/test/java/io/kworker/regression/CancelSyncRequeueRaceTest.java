package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.sun.jdi.request.BreakpointRequest;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.Breakpoints;
import io.kworker.testing.Gate;
import io.kworker.testing.Jdi;
import io.kworker.testing.WorkerTestKit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fixed with this test (CI flake of FaultInjectionTest.cancelSyncStopsASelfRequeueingWorkThatThrows):
 * a cancelSync answered while the self-requeue of the run it waited for was still to serve, so the
 * requeue was accepted after the answer and the work ran again.
 *
 * <p>The lane took a watched run's waiters even while a call of that run was still in the inbox.
 * Interleaving:
 * <ol>
 *   <li>a run is in progress; a façade cancelSync is served: the actor watches the run's ticket, and is
 *       preempted before it adds itself as a waiter;
 *   <li>the run requeues its work (a call behind the cancelSync in the inbox) and returns; the lane sees
 *       the watch and takes the waiters: none yet;
 *   <li>the actor cannot add its waiter (taken), takes the run for over and answers at once, canceling
 *       never raised;
 *   <li>the requeue is served with canceling at 0: accepted, and the work runs again.
 * </ol>
 * The kernel refuses that requeue: kthread_queue_work is synchronous, so it comes while the work is
 * canceling. The lane now leaves a run with calls still to serve to the actor, which settles it when it
 * serves the last one. Through the façade and the actor protocol, for the cancelSync and for the
 * requeue (a protocol requeue takes the mailbox way, which was not affected). The preemptions are JDI
 * breakpoints on the lines marked {@code // JDI mark [watched]} (WorkerBehavior.java) and {@code [ran]}
 * (Lane.java), as in {@link DeferredWakeTest}.
 */
@Tag(Jdi.TAG)
class CancelSyncRequeueRaceTest {
  // a platform lane: the JDI sees no virtual thread without the JDWP option includevirtualthreads (Java 21+)
  static final WorkerTestKit kit = WorkerTestKit.withConfig("kworker.execution = dedicated");

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  @ParameterizedTest(name = "cancelSync through the {0}, requeue through the {1}")
  @CsvSource({"facade, facade", "facade, protocol", "protocol, facade", "protocol, protocol"})
  void aRequeueMadeByTheRunACancelSyncWaitsForIsRefused(String cancelWay, String requeueWay)
      throws Exception {
    KWorker worker = kit.newWorker("rv-cancel-requeue");
    try (Breakpoints points = Breakpoints.attach()) {
      Gate gate = new Gate();
      AtomicInteger runs = new AtomicInteger();
      AtomicReference<String> laneName = new AtomicReference<>();
      CompletableFuture<CompletionStage<Boolean>> requeue = new CompletableFuture<>();
      Work work = Work.of("requeuer", w -> {
        if (runs.incrementAndGet() == 1) {
          laneName.set(Thread.currentThread().getName());
          gate.pass();
          // not awaited, as a kernel work requeues itself
          requeue.complete(requeueWay.equals("facade") ? worker.queue(w)
              : kit.<Boolean>ask(worker, r -> new KWorker.Queue(w, r)));
        }
      });
      result(worker.queue(work));
      gate.awaitEntered();

      // 1. the actor serves the cancelSync: the run is watched, and the actor stops before adding its waiter
      BreakpointRequest watched = points.onWorker("WorkerBehavior", "park", "watched", worker.name());
      CompletableFuture<Boolean> cancelled = (cancelWay.equals("facade") ? worker.cancelSync(work)
          : kit.<Boolean>ask(worker, r -> new KWorker.CancelSync(work, r))).toCompletableFuture();
      points.awaitHit(watched);

      // 2. the run requeues its work and returns; the lane finishes the watched run and goes on
      BreakpointRequest ran = points.onThread("Lane", "runBatch", "ran", points.thread(laneName.get()));
      gate.open();
      points.awaitHit(ran);

      // 3. the actor adds its waiter, then serves the requeue, which a waiting cancelSync refuses
      points.release(watched);
      points.release(ran);
      assertFalse(result(result(requeue)), "queue from inside the run while a cancelSync waits for it");
      assertFalse(result(cancelled), "the run was not pending: cancelSync gives false");
      assertEquals(WorkState.IDLE, result(worker.state(work)), "pending after cancelSync completed");
      result(worker.flush());
      assertEquals(1, runs.get(), "ran again after cancelSync completed");
      assertEquals(0, result(worker.status(work)).canceling());
    }
    result(worker.destroy());
  }
}

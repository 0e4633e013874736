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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fixed with this test (found by the stress run once its self-requeueing work stopped waiting for half
 * of its requeues): a cancelSync answered while an older run of its work still had a requeue command to
 * serve, and that requeue was accepted after the answer.
 *
 * <p>A run's protocol commands go through the actor's mailbox, and façade calls (through the inbox) can
 * overtake them, so a newer run of the same work can start while an older one's command waits in the
 * mailbox. A cancelSync waited for the newest run only. Interleaving:
 * <ol>
 *   <li>run 1 sends a protocol Queue of its own work and returns; the command waits in the mailbox while
 *       the actor serves the inbox;
 *   <li>a façade queue is served (run 1 is finished, nothing pending): run 2 starts;
 *   <li>a façade cancelSync is served: it waits for run 2, canceling raised;
 *   <li>run 2 returns: the lane answers the cancelSync, and the actor lowers canceling;
 *   <li>run 1's command is served with canceling at 0: accepted, and the work runs a third time after
 *       cancelSync completed.
 * </ol>
 * In the kernel the requeue took effect before run 1 returned, so the cancel would have removed it or
 * waited for its run. disableSync had the same gap: the late requeue was refused while the work stayed
 * disabled, and accepted by an enable right after the answer. Now a cancelSync or disableSync that parks
 * while a run of its work has commands in flight waits for each such run in turn, so the late requeue
 * is refused. Through the façade and the actor protocol. The actor is held inside one inbox batch
 * with a JDI breakpoint on the line marked {@code // JDI mark [served]} (WorkerBehavior.java), or after
 * a message on {@code [handled]}, the lane on {@code [ran]} (Lane.java).
 */
@Tag(Jdi.TAG)
class CancelSyncLateCommandTest {
  // a platform lane: the JDI sees no virtual thread without the JDWP option includevirtualthreads (Java 21+)
  static final WorkerTestKit kit = WorkerTestKit.withConfig("kworker.execution = dedicated");

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** A work whose run 1 sends a Queue command of itself and whose run 2 requeues itself through the façade. */
  private static final class Requeuer {
    final Gate first = new Gate();
    final Gate second = new Gate();
    final AtomicInteger runs = new AtomicInteger();
    final AtomicReference<String> laneName = new AtomicReference<>();
    final CompletableFuture<CompletionStage<Boolean>> command = new CompletableFuture<>();
    final CompletableFuture<CompletionStage<Boolean>> late = new CompletableFuture<>();
    final Work work;

    Requeuer(KWorker worker) {
      work = Work.of("requeuer", w -> {
        int run = runs.incrementAndGet();
        if (run == 1) {
          laneName.set(Thread.currentThread().getName());
          first.pass();
          command.complete(kit.<Boolean>ask(worker, r -> new KWorker.Queue(w, r))); // not awaited
        } else if (run == 2) {
          second.pass();
          late.complete(worker.queue(w)); // not awaited: the actor serves it after the run
        }
      });
    }

    /** Serves a probe and holds the actor there, inside that inbox batch; the breakpoint. */
    BreakpointRequest holdTheActorInABatch(Breakpoints points, KWorker worker) throws Exception {
      BreakpointRequest served = points.onWorker("WorkerBehavior", "onWake", "served", worker.name());
      worker.status(Work.of("probe", () -> {}));
      points.awaitHit(served);
      return served;
    }

    /** Lets run 1 send its Queue command and return; the breakpoint that will hold the lane after run 2. */
    BreakpointRequest endRunOne(Breakpoints points) throws Exception {
      BreakpointRequest ran = points.onThread("Lane", "runBatch", "ran", points.thread(laneName.get()));
      first.open();
      points.awaitHit(ran);
      points.resume(ran);
      return ran;
    }

    /** Neither requeue was accepted, and the work ran twice only. */
    void assertRefused(KWorker worker, String way) {
      assertFalse(result(result(late)), "run 2's requeue served while a sync cancel waits for it");
      assertFalse(result(result(command)), "run 1's requeue served while a sync cancel waits for its work");
      assertEquals(WorkState.IDLE, result(worker.state(work)), "pending after " + way + " completed");
      result(worker.flush());
      assertEquals(2, runs.get(), "ran again after " + way + " completed");
      assertEquals(0, result(worker.status(work)).canceling());
      assertEquals(0, result(worker.status(work)).disabled());
      assertFalse(second.interrupted(), "run 2 was interrupted: a grace ran out");
    }
  }

  private static final Duration GRACE = Duration.ofHours(1);

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"cancelSync", "cancelSync with a grace", "disableSync"})
  void aRequeueCommandOfAnOlderRunIsRefusedWhileASyncCancelWaits(String way) throws Exception {
    KWorker worker = kit.newWorker("rv-late-command");
    try (Breakpoints points = Breakpoints.attach()) {
      Requeuer q = new Requeuer(worker);
      Work work = q.work;
      result(worker.queue(work));
      q.first.awaitEntered();

      BreakpointRequest served = q.holdTheActorInABatch(points, worker);

      // 1. run 1 sends its Queue command (into the mailbox, behind the batch) and returns
      BreakpointRequest ran = q.endRunOne(points);

      // 2. a façade queue, served in the same batch: run 2 starts
      CompletionStage<Boolean> queued = worker.queue(work);
      CompletionStage<Boolean> waited = switch (way) { // behind the queue in the inbox
        case "cancelSync" -> worker.cancelSync(work);
        case "disableSync" -> worker.disableSync(work);
        default -> worker.cancelSync(work, GRACE);
      };
      points.step(served);
      q.second.awaitEntered();

      // 3. the sync cancel is served in the same batch: it waits for run 2
      points.step(served);

      // 4. run 2 returns while the actor is still in the batch; the actor serves run 2's requeue
      q.second.open();
      points.awaitHit(ran);
      points.release(ran);
      points.step(served);

      // 5. a disableSync's caller enables the work once answered; then run 1's command is served
      CompletionStage<Boolean> enabled =
          way.equals("disableSync") ? waited.thenCompose(x -> worker.enable(work)) : null;
      points.release(served);

      assertEquals(true, result(queued));
      assertFalse(result(waited), "run 2 was running, nothing pending: " + way + " gives false");
      if (enabled != null) {
        assertEquals(true, result(enabled));
      }
      q.assertRefused(worker, way);
    }
    result(worker.destroy());
  }

  /**
   * The same through the actor protocol: the sync cancel command goes into the mailbox ahead of run 1's
   * Queue command, and is served once run 2 has started; run 1's command then takes run 2's requeue out
   * of the inbox first (takeEarlier), which settles run 2.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"CancelSync", "CancelSync with a grace", "DisableSync"})
  void aRequeueCommandOfAnOlderRunIsRefusedWhileASyncCancelCommandWaits(String way) throws Exception {
    KWorker worker = kit.newWorker("rv-late-command");
    try (Breakpoints points = Breakpoints.attach()) {
      Requeuer q = new Requeuer(worker);
      result(worker.queue(q.work));
      q.first.awaitEntered();

      BreakpointRequest served = q.holdTheActorInABatch(points, worker);

      // 1. the CancelSync command, then run 1's Queue command, go into the mailbox behind the batch
      CompletionStage<Boolean> waited = kit.ask(worker, r -> switch (way) {
        case "CancelSync" -> new KWorker.CancelSync(q.work, r);
        case "DisableSync" -> new KWorker.DisableSync(q.work, r);
        default -> new KWorker.CancelSync(q.work, GRACE, r);
      });
      BreakpointRequest ran = q.endRunOne(points);

      // 2. a façade queue, served in the same batch: run 2 starts
      CompletionStage<Boolean> queued = worker.queue(q.work);
      points.step(served);
      q.second.awaitEntered();

      // 3. the batch ends, and the command is served: it waits for run 2
      BreakpointRequest handled = points.onWorker("WorkerBehavior", "receive", "handled", worker.name());
      points.release(served);
      points.awaitHit(handled); // the end of the batch
      points.step(handled); // the CancelSync

      // 4. run 2 requeues itself (into the inbox) and returns; then run 1's command is served
      q.second.open();
      points.awaitHit(ran);
      points.release(ran);
      points.release(handled);

      assertEquals(true, result(queued));
      assertFalse(result(waited), "run 2 was running, nothing pending: " + way + " gives false");
      if (way.equals("DisableSync")) {
        assertEquals(true, result(worker.enable(q.work)));
      }
      q.assertRefused(worker, way);
    }
    result(worker.destroy());
  }
}

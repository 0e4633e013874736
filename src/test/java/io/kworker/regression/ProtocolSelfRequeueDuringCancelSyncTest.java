package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.WorkStatus;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fixed in 6e218a9: a protocol command sent from inside a running work (on the worker's thread) was not a
 * call of that run, as the same façade call is. A self-requeue sent with {@code ref().tell} while a
 * cancelSync waited for the run was accepted, so the work was pending again after the cancel had returned
 * (kernel: "on return, the work is guaranteed to be not pending or executing"), and chained queueing
 * through the protocol during {@code drain()} was refused. Guards that such a self-requeue (Queue,
 * QueueDelayed with a zero or a long delay) is refused and ModDelayed changes nothing, as on the façade,
 * and that chained queueing through the protocol during a drain is accepted and drained.
 *
 * <p>The requeue raced the run's end, so each scenario runs several rounds on one worker; every round must
 * hold.
 */
class ProtocolSelfRequeueDuringCancelSyncTest {
  private static final int ROUNDS = 20;
  private static final WorkerTestKit KIT = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    KIT.shutdown();
  }

  @Test
  void selfRequeueThroughTheProtocolDuringCancelSyncIsRefused() {
    selfRequeueDuringCancelSync("Queue", (self, r) -> new KWorker.Queue(self, r), false);
  }

  @Test
  void selfQueueDelayedZeroThroughTheProtocolDuringCancelSyncIsRefused() {
    selfRequeueDuringCancelSync("QueueDelayed(0)",
        (self, r) -> new KWorker.QueueDelayed(self, Duration.ZERO, r), false);
  }

  @Test
  void selfQueueDelayedThroughTheProtocolDuringCancelSyncLeavesNoArmedTimer() {
    selfRequeueDuringCancelSync("QueueDelayed(1 h)",
        (self, r) -> new KWorker.QueueDelayed(self, Duration.ofHours(1), r), false);
  }

  /** kthread_mod_delayed_work during a cancel: true, and the number of pending instances is unchanged. */
  @Test
  void selfModDelayedZeroThroughTheProtocolDuringCancelSyncChangesNothing() {
    selfRequeueDuringCancelSync("ModDelayed(0)",
        (self, r) -> new KWorker.ModDelayed(self, Duration.ZERO, r), true);
  }

  @Test
  void selfModDelayedThroughTheProtocolDuringCancelSyncLeavesNoArmedTimer() {
    selfRequeueDuringCancelSync("ModDelayed(1 h)",
        (self, r) -> new KWorker.ModDelayed(self, Duration.ofHours(1), r), true);
  }

  /** The façade's self-requeue during cancelSync is refused too (the rule the protocol now follows). */
  @Test
  void selfRequeueThroughTheFacadeDuringCancelSyncIsRefused() {
    KWorker w = KIT.newWorker("facade-requeue");
    for (int i = 0; i < ROUNDS; i++) {
      Gate gate = new Gate();
      AtomicInteger runs = new AtomicInteger();
      CompletableFuture<CompletionStage<Boolean>> requeue = new CompletableFuture<>();
      Work work = Work.of("facade-requeuer-" + i, self -> {
        if (runs.incrementAndGet() == 1) {
          gate.pass();
          requeue.complete(w.queue(self));
        }
      });
      assertTrue(result(w.queue(work)));
      gate.awaitEntered();
      CompletionStage<Boolean> cancel = w.cancelSync(work);
      assertEquals(1, result(w.status(work)).canceling(), "the cancel waits for the run");
      gate.open();
      assertFalse(result(cancel), "the work was only running");
      assertFalse(result(result(requeue)), "round " + i + ": the self-requeue during cancelSync is refused");
      result(w.flush());
      assertEquals(1, runs.get(), "round " + i + ": the work ran again after cancelSync returned");
    }
  }

  /**
   * Chained queueing during drain(): a work that queues another work through the protocol is
   * accepted (only chained queueing is, meanwhile), and drain() completes only once that work ran.
   */
  @Test
  void chainedQueueThroughTheProtocolDuringDrainIsAcceptedAndDrained() {
    KWorker w = KIT.newWorker("drain-chain");
    Gate gate = new Gate();
    AtomicInteger chainedRuns = new AtomicInteger();
    Work chained = Work.of("chained", chainedRuns::incrementAndGet);
    CompletableFuture<CompletionStage<Boolean>> answer = new CompletableFuture<>();
    Work first = Work.of("first", self -> {
      gate.pass();
      answer.complete(KIT.ask(w, r -> new KWorker.Queue(chained, r)));
    });
    assertTrue(result(w.queue(first)));
    gate.awaitEntered();
    CompletionStage<Done> drain = w.drain();
    assertFalse(result(w.queue(Work.of("outsider", () -> { }))), "draining: queueing from outside is refused");
    gate.open();
    result(drain);
    int runsWhenDrained = chainedRuns.get();
    assertTrue(result(result(answer)),
        "Queue(chained) sent through the protocol from inside work [first] during drain() is chained "
            + "queueing and must be accepted");
    assertEquals(1, runsWhenDrained, "drain() completed before the chained work [chained] ran");
  }

  private void selfRequeueDuringCancelSync(String what,
      BiFunction<DelayedWork, ActorRef<StatusReply<Boolean>>, KWorker.Command> command, boolean expected) {
    KWorker w = KIT.newWorker("protocol-requeue");
    for (int i = 0; i < ROUNDS; i++) {
      Gate gate = new Gate();
      AtomicInteger runs = new AtomicInteger();
      CompletableFuture<CompletionStage<Boolean>> requeue = new CompletableFuture<>();
      DelayedWork work = DelayedWork.of("requeuer-" + i, self -> {
        if (runs.incrementAndGet() == 1) {
          gate.pass();
          // sent on the worker's thread, during the run, as ref().tell(new KWorker.Queue(self, replyTo))
          requeue.complete(KIT.ask(w, r -> command.apply(self, r)));
        }
      });
      assertTrue(result(w.queue(work)));
      gate.awaitEntered();
      CompletionStage<Boolean> cancel = w.cancelSync(work);
      assertEquals(1, result(w.status(work)).canceling(), "the cancel waits for the run");
      gate.open();
      assertFalse(result(cancel), "the work was only running");
      assertEquals(expected, result(result(requeue)), "round " + i + ": " + what
          + " of itself sent through the protocol while cancelSync waits for its run");
      WorkStatus after = result(w.status(work));
      assertEquals(WorkState.IDLE, after.state(), "round " + i + ": after cancelSync returned and "
          + what + " was answered, work [" + work.name() + "] must be neither pending nor running");
      result(w.flush());
      assertEquals(1, runs.get(), "round " + i + ": work [" + work.name() + "] ran again after cancelSync "
          + "returned (requeued by " + what + " through the protocol)");
    }
  }
}

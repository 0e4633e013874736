package io.kworker.issues;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Bug: a cancelSync that removed a pending instance and is waiting for the running one answers
 * {@code false} if the worker actor stops meanwhile (parent stopped, system terminated). Its
 * {@code Request.removed} is already true, but {@code WorkerBehavior.onPostStop} answers every parked
 * waiter through {@code WorkerHandle.answerClosed}, which uses the per-op constant {@code Op.Closed.FALSE}
 * and ignores {@code r.removed}. The caller is told nothing was removed, so the reference count of
 * pending instances ({@code #queued - #removed - #runs}) is off by one.
 */
@Tag("knownbug")
class CancelSyncRemovalLostOnStopRegressionTest {
  private static final ActorTestKit KIT = ActorTestKit.create("removallost");

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** A cancelSync that removed the pending instance still answers true when the worker stops before the running instance returns. */
  @Test
  void cancelSyncKeepsItsRemovalWhenTheWorkerStops() {
    CompletableFuture<KWorker> spawned = new CompletableFuture<>();
    ActorRef<String> parent = KIT.spawn(parent(spawned));
    KWorker w = result(spawned);
    Gate gate = new Gate();
    Work a = Work.of("a", x -> gate.pass());
    assertTrue(result(w.queue(a)));
    gate.awaitEntered();
    assertTrue(result(w.queue(a)));
    assertTrue(result(w.state(a)) == WorkState.RUNNING_AND_PENDING);
    CompletionStage<Boolean> cancel = w.cancelSync(a); // removes the pending instance, waits for the run
    Await.until("cancel parked", () -> result(w.status(a)).canceling() == 1);
    KIT.stop(parent);
    Await.until("worker stopped", () -> w.queue(a).toCompletableFuture().isCompletedExceptionally());
    assertFalse(cancel.toCompletableFuture().isDone());
    gate.openForever();
    assertTrue(result(cancel), "cancelSync removed the pending instance, yet answered false");
  }

  private static Behavior<String> parent(CompletableFuture<KWorker> out) {
    return Behaviors.setup(ctx -> {
      out.complete(KWorker.spawn(ctx, "removal-lost"));
      return Behaviors.receiveMessage(m -> Behaviors.stopped());
    });
  }
}

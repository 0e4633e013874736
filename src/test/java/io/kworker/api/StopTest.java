package io.kworker.api;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** No stage hangs when the worker actor stops or the actor system terminates. */
class StopTest {
  static {
    org.slf4j.LoggerFactory.getLogger(StopTest.class); // SLF4J ready before Akka logs
  }


  /** A worker spawned as a child stops with its parent; parked and later calls all complete. */
  @Test
  void childWorkerStopsWithItsParent() {
    ActorTestKit testKit = ActorTestKit.create();
    try {
      CompletableFuture<KWorker> spawned = new CompletableFuture<>();
      Behavior<String> parent = Behaviors.setup(ctx -> {
        spawned.complete(KWorker.spawn(ctx, "child"));
        return Behaviors.receiveMessage(m -> Behaviors.stopped());
      });
      ActorRef<String> parentRef = testKit.spawn(parent, "parent");
      KWorker worker = result(spawned);
      Gate gate = new Gate();
      AtomicBoolean returned = new AtomicBoolean();
      Work running = Work.of("running", w -> { gate.pass(); returned.set(true); });
      Work queued = Work.of("queued", () -> {});
      result(worker.queue(running));
      gate.awaitEntered();
      result(worker.queue(queued));
      CompletionStage<Boolean> cancel = worker.cancelSync(running);
      CompletionStage<Done> flush = worker.flush(queued);
      Await.until("cancel parked", () -> result(worker.status(running)).canceling() == 1);
      parentRef.tell("stop");
      Await.until("worker closed", () -> result(worker.queue(Work.of("probe", () -> {}))
          .handle((v, e) -> e instanceof RejectedExecutionException)));
      assertFalse(cancel.toCompletableFuture().isDone(), "cancelSync still waits for the running work");
      gate.open();
      assertFalse(result(cancel));
      assertTrue(returned.get());
      assertEquals(Done.getInstance(), result(flush));
      Await.until("thread ends", () -> !WorkerTestKit.threadAlive("kworker/child"));
    } finally {
      testKit.shutdownTestKit();
    }
  }

  /** Terminating the actor system completes every outstanding stage and ends the thread. */
  @Test
  void systemTerminationCompletesEverything() {
    ActorTestKit testKit = ActorTestKit.create();
    KWorker worker = KWorker.create(testKit.system(), "doomed");
    Gate gate = new Gate();
    Work running = Work.of("running", w -> gate.pass());
    result(worker.queue(running));
    gate.awaitEntered();
    CompletionStage<Boolean> cancel = worker.cancelSync(running);
    CompletionStage<Done> flush = worker.flush();
    Await.until("cancel parked", () -> result(worker.status(running)).canceling() == 1);
    testKit.shutdownTestKit();
    CompletionStage<Boolean> late = worker.queue(Work.of("late", () -> {}));
    gate.open();
    assertFalse(result(cancel));
    assertEquals(Done.getInstance(), result(flush));
    assertTrue(Await.failure(late) instanceof RejectedExecutionException);
    Await.until("thread ends", () -> !WorkerTestKit.threadAlive("kworker/doomed"));
  }

  /** A façade over a spawned behavior works like one from create. */
  @Test
  void wrapGivesAFacade() {
    ActorTestKit testKit = ActorTestKit.create();
    try {
      ActorRef<KWorker.Command> ref = testKit.spawn(KWorker.behavior("wrapped"), "wrapped");
      KWorker worker = result(KWorker.wrap(testKit.system(), ref));
      CompletableFuture<String> thread = new CompletableFuture<>();
      assertTrue(result(worker.queue(Work.of("w", () -> thread.complete(Thread.currentThread().getName())))));
      assertEquals("kworker/wrapped", result(thread));
      result(worker.destroy());
      Throwable t = Await.failure(KWorker.wrap(testKit.system(), ref));
      assertTrue(t instanceof java.util.concurrent.TimeoutException, t.toString());
    } finally {
      testKit.shutdownTestKit();
    }
  }
}

package io.kworker.api;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.typed.ActorRef;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * KWorker.whenTerminated(): completes once the worker's actor has stopped and its thread runs nothing
 * more, however the worker ended, and not before.
 */
class WhenTerminatedTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** The worker's own thread, captured from a work. */
  private static Thread threadOf(KWorker worker) {
    CompletableFuture<Thread> thread = new CompletableFuture<>();
    worker.queue(Work.of("which-thread", () -> thread.complete(Thread.currentThread())));
    return result(thread);
  }

  private static void assertEnded(Thread thread) throws InterruptedException {
    thread.join(TimeUnit.SECONDS.toMillis(Await.LONG_SECONDS));
    assertFalse(thread.isAlive(), thread + " still alive");
  }

  /** Destroyed through the façade: completes after the running work returned, and the thread ends. */
  @Test
  void afterDestroyAndNotBeforeTheRunningWorkReturns() throws Exception {
    KWorker worker = kit.newWorker("destroy");
    Thread thread = threadOf(worker);
    Gate gate = new Gate();
    worker.queue(Work.of("running", w -> gate.pass()));
    gate.awaitEntered();
    CompletionStage<Done> terminated = worker.whenTerminated();
    CompletionStage<Done> destroyed = worker.destroy();
    result(worker.status(Work.of("fence", () -> { }))); // served after the destroy
    assertFalse(terminated.toCompletableFuture().isDone());
    gate.open();
    result(destroyed);
    assertEquals(Done.getInstance(), result(terminated));
    assertEnded(thread);
  }

  /** Destroyed through the actor protocol: the same. */
  @Test
  void afterADestroyCommand() throws Exception {
    KWorker worker = kit.newWorker("protocol");
    Thread thread = threadOf(worker);
    ActorRef<KWorker.Command> ref = worker.ref();
    result(kit.<Done>ask(ref, KWorker.Destroy::new));
    result(worker.whenTerminated());
    assertEnded(thread);
  }

  /** A worker spawned from its behavior and stopped with its parent; its stage completes too. */
  @Test
  void afterTheParentStops() throws Exception {
    WorkerTestKit.SpawnedWorker child = kit.spawnChildWorker(WorkerTestKit.unique("child"));
    Thread thread = threadOf(child.worker());
    CompletionStage<Done> terminated = child.worker().whenTerminated();
    assertFalse(terminated.toCompletableFuture().isDone());
    child.stopParent();
    result(terminated);
    assertEnded(thread);
  }

  /** After the actor system terminates, with a work still running until then. */
  @Test
  void afterTheActorSystemTerminates() throws Exception {
    WorkerTestKit own = WorkerTestKit.create(WorkerTestKit.unique("terminating"));
    KWorker worker = KWorker.create(own.system(), "w");
    Thread thread = threadOf(worker);
    Gate gate = new Gate();
    worker.queue(Work.of("running", w -> gate.pass()));
    gate.awaitEntered();
    Thread terminating = new Thread(own::terminate);
    terminating.start();
    Await.until("the system terminates", () -> own.system().whenTerminated().isCompleted());
    assertFalse(worker.whenTerminated().toCompletableFuture().isDone(), "the work still runs");
    gate.open();
    result(worker.whenTerminated());
    assertEnded(thread);
    terminating.join();
  }

  /** A worker that never ran a work (its thread never started), and one on a shared dispatcher. */
  @Test
  void aWorkerWithoutAThreadOfItsOwnOrNeverStarted() {
    KWorker idle = kit.newWorker("never-ran");
    result(idle.destroy());
    result(idle.whenTerminated());
    KWorker shared = KWorker.create(kit.system(), WorkerTestKit.unique("shared"),
        "akka.actor.default-blocking-io-dispatcher");
    result(shared.queue(Work.of("w", () -> { })));
    result(shared.destroy());
    result(shared.whenTerminated());
  }

  /** Completing one caller's stage does not complete the worker's. */
  @Test
  void aCallerCannotCompleteIt() {
    KWorker worker = kit.newWorker("own-stage");
    worker.whenTerminated().toCompletableFuture().complete(Done.getInstance());
    assertFalse(worker.whenTerminated().toCompletableFuture().isDone());
    result(worker.destroy());
    assertTrue(worker.whenTerminated().toCompletableFuture().join() == Done.getInstance());
  }
}

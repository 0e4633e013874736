package io.kworker.internal;

import static io.kworker.testing.Await.result;

import akka.actor.typed.ActorRef;
import io.kworker.KWorker;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/** For tests outside this package: a worker's internals, reached the way the library reaches them. */
public final class Internals {
  private Internals() {}

  /** The worker's handle, from its actor. */
  public static WorkerHandle handle(KWorker worker) {
    CompletableFuture<WorkerHandle> handle = new CompletableFuture<>();
    ActorRef<Object> actor = worker.ref().unsafeUpcast();
    actor.tell(new WorkerBehavior.GetHandle(handle));
    return result(handle);
  }

  static Lane lane(KWorker worker) {
    return handle(worker).lane();
  }

  /** Matches kworker's timers among the tasks of Akka's scheduler (a rename fails to compile here). */
  public static final Predicate<Object> TIMER = Timer.class::isInstance;
}

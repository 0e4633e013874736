package io.kworker.api;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.pattern.StatusReply;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.WorkerTestKit;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The actor protocol: the same operations and answers, as StatusReply, for actors that ask. */
class ProtocolTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** Errors travel back as StatusReply errors carrying the same message. */
  @Test
  void errorsTravelBack() {
    KWorker owner = kit.newWorker("owner");
    Work work = Work.of("taken", () -> {});
    result(owner.queue(work));
    ActorRef<KWorker.Command> other = kit.spawn(KWorker.behavior("other"));
    Throwable t = Await.failure(kit.<Boolean>ask(other, r -> new KWorker.Queue(work, r)));
    assertTrue(t.getMessage().contains("[" + owner.name() + "]") && t.getMessage().contains("[other]"),
        t.getMessage());
    result(kit.<Done>ask(other, KWorker.Destroy::new));
  }

  /** An actor owning a worker as its child talks to it with context.askWithStatus. */
  @Test
  void actorAsksItsChildWorker() {
    CompletableFuture<Boolean> answer = new CompletableFuture<>();
    Behavior<Object> owner = Behaviors.setup(ctx -> {
      ActorRef<KWorker.Command> worker = ctx.spawn(KWorker.behavior("child"), "child");
      ctx.askWithStatus(Boolean.class, worker, WorkerTestKit.ASK_TIMEOUT,
          r -> new KWorker.Queue(Work.of("w", () -> {}), r),
          (ok, error) -> ok != null ? ok : error);
      return Behaviors.receiveMessage(m -> {
        if (m instanceof Boolean b) {
          answer.complete(b);
        } else {
          answer.completeExceptionally((Throwable) m);
        }
        return Behaviors.same();
      });
    });
    kit.spawn(owner);
    assertTrue(result(answer));
    assertFalse(answer.isCompletedExceptionally());
  }
}

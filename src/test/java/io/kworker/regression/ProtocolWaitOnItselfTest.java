package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorRef;
import akka.japi.function.Function;
import akka.pattern.StatusReply;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Await;
import io.kworker.testing.WorkerTestKit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Fixed in 6e218a9: from inside a work, asking its own worker through the protocol for a wait that could
 * only end after the work returns (cancel-sync or flush of itself, and as the README lists them,
 * disable-sync of itself, flush(), drain(), destroy()) waited until the asker's timeout. Guards that each
 * fails at once with an IllegalStateException naming the worker and the work, as the façade does.
 *
 * <p>The work waits for the answer while it runs (bounded by the ask timeout): only an answer that
 * arrives during the run is "at once".
 */
class ProtocolWaitOnItselfTest {
  private static final WorkerTestKit KIT = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    KIT.shutdown();
  }

  @Test
  void cancelSyncOfItselfThroughTheProtocolFailsFast() throws Exception {
    assertFailsFast("CancelSync", start("cancel-sync-itself", (w, self) -> r -> new KWorker.CancelSync(self, cast(r))));
  }

  @Test
  void flushOfItselfThroughTheProtocolFailsFast() throws Exception {
    assertFailsFast("FlushWork", start("flush-itself", (w, self) -> r -> new KWorker.FlushWork(self, cast(r))));
  }

  /** The other waits that could only end after the asking work returns; run side by side. */
  @Test
  void otherWaitsOnItselfThroughTheProtocolFailFast() throws Exception {
    List<Started> started = List.of(
        start("disable-sync-itself", (w, self) -> r -> new KWorker.DisableSync(self, cast(r))),
        start("flush-worker-inside", (w, self) -> r -> new KWorker.FlushWorker(cast(r))),
        start("drain-inside", (w, self) -> r -> new KWorker.Drain(cast(r))),
        start("destroy-inside", (w, self) -> r -> new KWorker.Destroy(cast(r))));
    List<String> names = List.of("DisableSync", "FlushWorker", "Drain", "Destroy");
    List<Executable> checks = new ArrayList<>();
    for (int i = 0; i < started.size(); i++) {
      Started s = started.get(i);
      String name = names.get(i);
      checks.add(() -> assertFailsFast(name, s));
    }
    assertAll(checks);
  }

  /** A work that asks its own worker, then waits (bounded) for the answer while it still runs. */
  private record Started(KWorker worker, Work work, CompletableFuture<Object> answerDuringRun) {}

  private Started start(String prefix,
      BiFunction<KWorker, Work, Function<ActorRef<StatusReply<Object>>, KWorker.Command>> message) {
    KWorker w = KIT.newWorker(prefix);
    CompletableFuture<Object> answerDuringRun = new CompletableFuture<>();
    Work work = Work.of("asker", self -> {
      CompletableFuture<Object> answer =
          KIT.ask(w, message.apply(w, self)).toCompletableFuture();
      try {
        // the ask itself times out after WorkerTestKit.ASK_TIMEOUT; this bound is only a backstop
        answerDuringRun.complete(answer.get(3 * Await.LONG_SECONDS, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        answerDuringRun.complete(e.getCause());
      } catch (InterruptedException | TimeoutException e) {
        answerDuringRun.complete(e);
      }
    });
    assertTrue(result(w.queue(work)));
    return new Started(w, work, answerDuringRun);
  }

  /** The reply-to of an answer of any type: the test only looks at whether it is an error. */
  @SuppressWarnings("unchecked")
  private static <T> ActorRef<StatusReply<T>> cast(ActorRef<StatusReply<Object>> r) {
    return (ActorRef<StatusReply<T>>) (ActorRef<?>) r;
  }

  private static void assertFailsFast(String command, Started s) throws Exception {
    Object outcome = s.answerDuringRun().get(4 * Await.LONG_SECONDS, TimeUnit.SECONDS);
    IllegalStateException e = assertInstanceOf(IllegalStateException.class, outcome, () -> command
        + " sent through the protocol from inside work [asker] on worker [" + s.worker().name()
        + "] must fail at once with an IllegalStateException while the work runs; got " + outcome);
    assertTrue(e.getMessage().contains("[" + s.worker().name() + "]") && e.getMessage().contains("[asker]"),
        () -> "the error names the worker and the work: " + e.getMessage());
  }
}

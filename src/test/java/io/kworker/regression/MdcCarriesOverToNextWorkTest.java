package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.Gate;
import io.kworker.testing.WorkerTestKit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * Fixed in 6e218a9 (restored by MdcGuard since 06c1596): an MDC key that a work put itself stayed on the
 * worker's thread and was seen by the next work. Guards that the MDC is restored after each work, whether
 * the next work runs in the same batch or a later one, and that the worker's own keys
 * ({@code kworker.worker}, {@code kworker.work}) are still set for every work.
 */
class MdcCarriesOverToNextWorkTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** Two works run back to back (one drain of the lane): the second does not see the first's key. */
  @Test
  void anMdcKeyAWorkSetsIsGoneForTheNextWorkBackToBack() {
    KWorker worker = kit.newWorker("mdc-back-to-back");
    Gate gate = new Gate();
    CompletableFuture<Map<String, String>> seen = new CompletableFuture<>();
    result(worker.queue(Work.of("holder", w -> gate.pass())));
    gate.awaitEntered();
    result(worker.queue(Work.of("setter", w -> MDC.put("user.key", "set by setter"))));
    result(worker.queue(Work.of("reader", w -> seen.complete(mdc()))));
    gate.open();
    check(worker, result(seen));
  }

  /** The next work runs in a later drain (the thread parked in between): it does not see the key either. */
  @Test
  void anMdcKeyAWorkSetsIsGoneForALaterWork() {
    KWorker worker = kit.newWorker("mdc-later");
    CompletableFuture<Map<String, String>> seen = new CompletableFuture<>();
    result(worker.queue(Work.of("setter", w -> MDC.put("user.key", "set by setter"))));
    result(worker.flush());
    result(worker.queue(Work.of("reader", w -> seen.complete(mdc()))));
    check(worker, result(seen));
  }

  private static Map<String, String> mdc() {
    Map<String, String> m = MDC.getCopyOfContextMap();
    return m == null ? Map.of() : m;
  }

  private static void check(KWorker worker, Map<String, String> seen) {
    assertNull(seen.get("user.key"), "the next work on the thread sees the key a work put: " + seen);
    assertEquals(worker.name(), seen.get("kworker.worker"), "the worker's MDC key: " + seen);
    assertEquals("reader", seen.get("kworker.work"), "the work's MDC key: " + seen);
  }
}

package io.kworker.regression;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorker;
import io.kworker.testing.WorkerTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fixed in 2452dd0: a worker whose execution named no configured dispatcher was created all the same; its
 * actor then failed to start, and calls on it were left unanswered. Found by the independent review.
 * Guards that KWorker.create refuses such a worker at once, with the dispatcher's id in the error.
 */
class MissingDispatcherTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  /** A worker whose execution names no dispatcher is refused at creation, with the id in the error. */
  @Test
  void aWorkerOnAMissingDispatcherIsRefusedAtCreation() {
    Throwable t = assertThrows(RuntimeException.class,
        () -> KWorker.create(kit.system(), "rv-bad-dispatcher", "no-such-dispatcher"));
    assertTrue(t.getMessage().contains("no-such-dispatcher"), t.getMessage());
  }
}

package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.fail;

import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.WorkerTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Review finding (low): destroy() completes inside the actor's PostStop (Lane.close() completes
 * `stopped` synchronously when the lane is idle), before the actor has terminated and its name is
 * released, so "destroy, then create a worker of the same name" (the kthread pattern) can fail with
 * InvalidActorNameException although destroy said the worker has stopped.
 */
class RecreateTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  @Test
  void aDestroyedWorkersNameCanBeReused() {
    for (int i = 1; i <= 50; i++) {
      String name = "rv-recreate-" + i;
      KWorker first = KWorker.create(kit.system(), name);
      result(first.queue(Work.of("w", () -> {})));
      result(first.destroy());
      try {
        KWorker second = KWorker.create(kit.system(), name);
        result(second.destroy());
      } catch (RuntimeException e) {
        fail("iteration " + i + ": destroy() completed but the name is still taken: " + e);
      }
    }
  }
}

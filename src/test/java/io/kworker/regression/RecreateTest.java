package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.fail;

import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.WorkerTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fixed in d169338: destroy() completed inside the actor's PostStop, before the actor had terminated and
 * its name was released, so "destroy, then create a worker of the same name" (the kthread pattern) could
 * fail with InvalidActorNameException although destroy had said the worker stopped. Found by the
 * independent review. Guards that a destroyed worker's name can be used again at once.
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

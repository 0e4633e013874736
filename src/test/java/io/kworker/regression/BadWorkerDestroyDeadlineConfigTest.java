package io.kworker.regression;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorkers;
import io.kworker.testing.WorkerTestKit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fixed in 6e218a9: a bad {@code kworker.workers.<name>.shutdown.destroy-deadline} (here "soon") made
 * KWorkers.worker(name) fail only after it had spawned the worker (with its MXBean and thread), which it then
 * left running, unregistered, at every call. Guards that the error is clear (key, value, worker) and that
 * nothing is started or registered.
 */
class BadWorkerDestroyDeadlineConfigTest {

  @Test
  void badPerWorkerDestroyDeadlineFailsWithoutLeavingAWorkerBehind() {
    String name = WorkerTestKit.unique("bad-deadline");
    WorkerTestKit kit = WorkerTestKit.withConfig(WorkerTestKit.unique("bad-deadline-system"),
        "kworker.workers." + name + ".shutdown.destroy-deadline = soon");
    try {
      KWorkers registry = KWorkers.get(kit.system());
      List<RuntimeException> errors = new ArrayList<>();
      for (int call = 1; call <= 2; call++) {
        errors.add(assertThrows(RuntimeException.class, () -> registry.worker(name),
            "call " + call + ": a bad shutdown.destroy-deadline of worker [" + name + "] is an error"));
      }
      kit.roundTrip();
      assertTrue(registry.lookup(name).isEmpty(), "no worker registered");
      assertTrue(registry.workers().isEmpty(), "no live worker: " + registry.workers());
      assertFalse(Support.mbeanRegistered(name), "a worker was started anyway (and left running, unregistered):"
          + " its MXBean io.kworker:type=KWorker,name=" + name + " is registered");
      assertFalse(WorkerTestKit.threadAlive("kworker/" + name), "a worker was started anyway: thread kworker/" + name + " is alive");
      for (RuntimeException e : errors) {
        String m = String.valueOf(e.getMessage());
        assertTrue(m.contains("destroy-deadline") && m.contains("soon") && m.contains(name),
            "a clear error names the key, the value and the worker: " + e);
      }
    } finally {
      kit.shutdown();
    }
  }
}

package io.kworker.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.KWorker;
import io.kworker.KWorkers;
import io.kworker.testing.WorkerTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fixed in 6e218a9: a global typo in the kworker block ({@code kworker.timers = bogus}, a bad global
 * throughput or inbox-batch) made KWorkers.worker(name) return a worker that never started (every call on
 * it failed with "worker [x] is destroyed") and kept it registered for the life of the system. Guards that
 * the registry fails with the same clear error as KWorker.create, and registers and starts nothing, also
 * when the worker's own block sets a valid value, and for a worker without a block of its own.
 */
class GlobalConfigTypoTest {

  @Test
  void globalTimersTypoFailsWorkerCreationAndRegistersNothing() {
    String name = WorkerTestKit.unique("timers-typo");
    WorkerTestKit kit = WorkerTestKit.withConfig(WorkerTestKit.unique("timers-typo"), "kworker.timers = bogus");
    try {
      KWorkers registry = KWorkers.get(kit.system());
      assertClearErrorAndNothingStarted(kit, registry, name, "timers", "bogus");
      // the same clear error as KWorker.create
      RuntimeException direct = assertThrows(RuntimeException.class,
          () -> KWorker.create(kit.system(), WorkerTestKit.unique("direct")));
      assertTrue(direct.getMessage().contains("kworker.timers") && direct.getMessage().contains("bogus"),
          direct.getMessage());
    } finally {
      kit.shutdown();
    }
  }

  /**
   * The worker's own block sets a valid value, but the global one is bad: the registry must still give
   * the clear error (the shared kworker block is invalid) and register nothing.
   */
  @ParameterizedTest(name = "kworker.{0} = {1}, the worker's block: {2}")
  @CsvSource({"throughput, 0, 8", "throughput, bogus, 8", "inbox-batch, 0, 16"})
  void badGlobalNumberFailsWorkerCreationAndRegistersNothing(String key, String bad, String good) {
    String name = WorkerTestKit.unique("number-typo");
    WorkerTestKit kit = WorkerTestKit.withConfig(WorkerTestKit.unique("number-typo"),
        "kworker." + key + " = " + bad + "\nkworker.workers." + name + "." + key + " = " + good);
    try {
      assertClearErrorAndNothingStarted(kit, KWorkers.get(kit.system()), name, key, bad);
    } finally {
      kit.shutdown();
    }
  }

  /** A worker without a block of its own fails too. */
  @Test
  void badGlobalThroughputFailsAnUnconfiguredWorkerAndRegistersNothing() {
    String name = WorkerTestKit.unique("plain");
    WorkerTestKit kit = WorkerTestKit.withConfig(WorkerTestKit.unique("plain-typo"), "kworker.throughput = 0");
    try {
      assertClearErrorAndNothingStarted(kit, KWorkers.get(kit.system()), name, "throughput", "0");
    } finally {
      kit.shutdown();
    }
  }

  private static void assertClearErrorAndNothingStarted(WorkerTestKit kit, KWorkers registry, String name,
      String key, String value) {
    for (int call = 1; call <= 2; call++) {
      int n = call;
      RuntimeException e = assertThrows(RuntimeException.class, () -> registry.worker(name),
          () -> "call " + n + ": with kworker." + key + " = " + value + ", KWorkers.worker(" + name
              + ") must fail with the configuration error instead of returning a worker that never started"
              + registry.lookup(name).map(w -> " (it returned and registered " + w + ")").orElse(""));
      String m = String.valueOf(e.getMessage());
      assertTrue(m.contains(key), "a clear error names the key: " + e);
      assertTrue(!key.equals("timers") || m.contains(value), "a clear error names the bad value: " + e);
    }
    kit.roundTrip();
    assertTrue(registry.lookup(name).isEmpty(), "worker [" + name + "] stays registered: " + registry.lookup(name));
    assertEquals(0, registry.workers().size(), "no live worker: " + registry.workers());
    assertFalse(Support.mbeanRegistered(name), "a worker was started anyway: its MXBean is registered");
    assertFalse(WorkerTestKit.threadAlive("kworker/" + name), "a worker was started anyway: thread kworker/" + name + " is alive");
  }
}

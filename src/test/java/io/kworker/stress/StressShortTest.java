package io.kworker.stress;

import io.kworker.testing.WorkerTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The stress harness in the default run: a few seconds. The long run is {@link StressTest}.
 * {@code -Dkworker.stress.threads=} and {@code -Dkworker.seed=} apply here too.
 */
class StressShortTest {
  private static final WorkerTestKit KIT = WorkerTestKit.create("stressshort");

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** Under a few seconds of contention on a few works, the history satisfies the cancel, conservation, ordering, flush and liveness invariants. */
  @Test
  void shortRunKeepsEveryInvariant() throws InterruptedException {
    runFor(KIT, Double.parseDouble(System.getProperty("kworker.stress.short.seconds", "3")), 1.5, "stress-short",
        false);
  }

  static void runFor(WorkerTestKit kit, double seconds, double roundSeconds, String name, boolean everyRound)
      throws InterruptedException {
    int threads = Integer.getInteger("kworker.stress.threads", 4);
    long seed = Long.getLong("kworker.seed", System.nanoTime());
    System.out.println(name + ": seed=" + seed + " threads=" + threads + " seconds=" + seconds
        + " (the seed fixes each caller's choices, not the interleaving)");
    StressHarness h = new StressHarness(kit.system(), threads, seed);
    try {
      System.out.println(name + ": " + h.run(seconds, roundSeconds, name, everyRound));
    } catch (AssertionError e) {
      throw new AssertionError(name + " seed=" + seed + ": " + e.getMessage(), e);
    }
  }
}

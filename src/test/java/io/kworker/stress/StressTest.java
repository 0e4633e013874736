package io.kworker.stress;

import io.kworker.testing.WorkerTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The long stress run, opt-in: {@code mvn test -Dgroups=stress -Dsurefire.excludedGroups=none}, with
 * {@code -Dkworker.stress.seconds=} (default 120), {@code -Dkworker.stress.threads=} (default 4) and
 * {@code -Dkworker.seed=}. It prints its seed first, then a line per round (10 s each).
 */
@Tag("stress")
class StressTest {
  private static final WorkerTestKit KIT = WorkerTestKit.create("stress");

  @AfterAll
  static void stop() {
    KIT.shutdown();
  }

  /** Under minutes of contention on a few works, the history satisfies the cancel, conservation, ordering, flush and liveness invariants. */
  @Test
  void longRunKeepsEveryInvariant() throws InterruptedException {
    StressShortTest.runFor(KIT, Double.parseDouble(System.getProperty("kworker.stress.seconds", "120")), 10,
        "stress-long", true);
  }
}

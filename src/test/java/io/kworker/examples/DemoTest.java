package io.kworker.examples;

import io.kworker.testing.WorkerTestKit;
import org.junit.jupiter.api.Test;

/** The README's demo runs to the end: the heartbeat never runs after its cancelSync completed. */
class DemoTest {
  @Test
  void demoRuns() throws Exception {
    WorkerTestKit kit = WorkerTestKit.create();
    try {
      Demo.run(kit.system());
    } finally {
      kit.shutdown();
    }
  }
}

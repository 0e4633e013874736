package io.kworker.examples;

import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.WorkerTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's demo runs to the end: the heartbeat never runs after its cancelSync completed. */
class DemoTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, ExpectedLogs.REFUSED);
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

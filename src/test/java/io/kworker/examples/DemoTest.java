package io.kworker.examples;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;

/** The README's demo runs to the end: the heartbeat never runs after its cancelSync completed. */
class DemoTest {
  @Test
  void demoRuns() throws Exception {
    ActorTestKit testKit = ActorTestKit.create();
    try {
      Demo.run(testKit.system());
    } finally {
      testKit.shutdownTestKit();
    }
  }
}

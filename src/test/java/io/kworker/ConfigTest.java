package io.kworker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shipped configuration: kworker's reference.conf sets the defaults the docs promise. */
class ConfigTest {
  @Test
  void referenceConfDefaults() {
    ActorTestKit kit = ActorTestKit.create();
    try {
      var config = kit.system().settings().config();
      assertEquals(Duration.ofMillis(1), config.getDuration("akka.scheduler.tick-duration"),
          "delayed works need a 1 ms tick to start within 4 ms (p99)");
      assertEquals("dedicated", config.getString("kworker.execution"));
    } finally {
      kit.shutdownTestKit();
    }
  }
}

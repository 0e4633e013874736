package io.kworker.api;

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
      assertEquals(Duration.ofMillis(10), config.getDuration("akka.scheduler.tick-duration"),
          "kworker leaves Akka's scheduler tick alone: delayed works have a timer thread of their own");
      assertEquals("auto", config.getString("kworker.timers"));
      assertEquals("dedicated", config.getString("kworker.execution"));
    } finally {
      kit.shutdownTestKit();
    }
  }
}

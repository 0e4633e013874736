package io.kworker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The shipped configuration: kworker's reference.conf sets the defaults the docs promise. */
class ConfigTest {
  @Test
  void referenceConfDefaults() {
    WorkerTestKit kit = WorkerTestKit.create();
    try {
      var config = kit.system().settings().config();
      assertEquals(Duration.ofMillis(10), config.getDuration("akka.scheduler.tick-duration"),
          "kworker leaves Akka's scheduler tick alone: delayed works have a timer thread of their own");
      assertEquals("auto", config.getString("kworker.timers"));
      // reference.conf's own: a run with -Dkworker.test.execution gives the test kits another default
      assertEquals("dedicated", ConfigFactory.defaultReference().getString("kworker.execution"));
    } finally {
      kit.shutdown();
    }
  }
}

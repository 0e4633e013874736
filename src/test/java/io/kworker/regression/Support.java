package io.kworker.regression;

import static io.kworker.testing.Await.result;

import io.kworker.KWorker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** What the regression tests share; public API of io.kworker only (plus Akka and JMX). */
final class Support {
  private Support() {}

  /** Beyond Akka's scheduler range (about 248 days): 300 days, and ChronoUnit.FOREVER. */
  static Stream<Duration> hugeDurations() {
    return Stream.of(Duration.ofDays(300), ChronoUnit.FOREVER.getDuration());
  }

  /** True if an MXBean io.kworker:type=KWorker,name=<name> (with any further key) is registered. */
  static boolean mbeanRegistered(String workerName) {
    try {
      return !ManagementFactory.getPlatformMBeanServer()
          .queryNames(new ObjectName("io.kworker:type=KWorker,name=" + workerName + ",*"), null).isEmpty();
    } catch (MalformedObjectNameException e) {
      throw new AssertionError(e);
    }
  }

  /** How a stage stands, for assertion messages. */
  static String describe(CompletionStage<?> stage) {
    CompletableFuture<?> f = stage.toCompletableFuture();
    if (!f.isDone()) {
      return "not completed";
    }
    try {
      return "completed with " + result(f);
    } catch (AssertionError e) {
      return "failed with " + e.getCause();
    }
  }
}

package io.kworker.bench;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Helpers shared by the benchmarks: quiet actor systems, bounded waits, percentiles. */
final class Bench {
  private Bench() {}

  /** An actor system with warnings only, plus {@code extra} HOCON (may be empty). */
  static ActorSystem<Void> system(String name, String extra) {
    org.slf4j.LoggerFactory.getLogger(Bench.class); // before Akka, so SLF4J has no calls to replay
    Config c = ConfigFactory.parseString(extra + "\nakka.loglevel = WARNING\n"
        + "akka.log-dead-letters = off\nakka.log-dead-letters-during-shutdown = off\n")
        .withFallback(ConfigFactory.load());
    return ActorSystem.create(Behaviors.empty(), name, c);
  }

  static void terminate(ActorSystem<?> system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("actor system did not terminate", e);
    }
  }

  static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void shutdown(ExecutorService e) {
    e.shutdownNow();
    try {
      e.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  static Duration hour() {
    return Duration.ofHours(1);
  }

  /** The q-quantile (0..1) of {@code sorted}, nearest rank. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}

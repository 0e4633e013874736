package io.kworker.regression;

import static io.kworker.testing.Await.result;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.japi.function.Function;
import akka.pattern.StatusReply;
import com.typesafe.config.ConfigFactory;
import io.kworker.KWorker;
import io.kworker.testing.Await;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/** What the regression tests share; public API of io.kworker only (plus Akka and JMX). */
final class Support {
  /** Every ask of these tests: bounded, so a hung protocol call fails the test instead of hanging it. */
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(Await.LONG_SECONDS);

  private static final AtomicInteger SEQ = new AtomicInteger();

  private Support() {}

  /** A name no other test of this JVM uses (actor systems, workers, MXBeans and threads are global). */
  static String unique(String prefix) {
    return prefix + "-" + SEQ.incrementAndGet();
  }

  /** Beyond Akka's scheduler range (about 248 days): 300 days, and ChronoUnit.FOREVER. */
  static Stream<Duration> hugeDurations() {
    return Stream.of(Duration.ofDays(300), ChronoUnit.FOREVER.getDuration());
  }

  static <T> CompletionStage<T> ask(ActorSystem<?> system, ActorRef<KWorker.Command> ref,
      Function<ActorRef<StatusReply<T>>, KWorker.Command> message) {
    return AskPattern.askWithStatus(ref, message, ASK_TIMEOUT, system.scheduler());
  }

  static ActorTestKit kit(String name, String config) {
    return ActorTestKit.create(name,
        ConfigFactory.parseString(config).withFallback(ActorTestKit.applicationTestConfig()).resolve());
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

  /** True if a live thread is named kworker/<name>. */
  static boolean threadAlive(String workerName) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().equals("kworker/" + workerName));
  }

  /**
   * A round trip through a fresh actor of {@code kit}'s system, so that an actor spawned before it has
   * most likely started (and, if it is a worker, registered its MXBean) when this returns. Only makes a
   * leak visible sooner; never needed for a pass.
   */
  static void roundTrip(ActorTestKit kit) {
    for (int i = 0; i < 3; i++) {
      TestProbe<String> probe = kit.createTestProbe();
      ActorRef<String> echo = kit.spawn(Behaviors.receiveMessage(m -> {
        probe.getRef().tell(m);
        return Behaviors.stopped();
      }));
      echo.tell("ping");
      probe.expectMessage(ASK_TIMEOUT, "ping");
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

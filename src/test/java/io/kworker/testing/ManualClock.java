package io.kworker.testing;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.testkit.ExplicitlyTriggeredScheduler;
import java.time.Duration;

/**
 * {@code ManualTime.timePasses} without the 100 ms real sleep that Akka 2.6 starts it with: a no-op task
 * due at the target instant leaves the manual scheduler's clock there once every due task has run, in
 * expiry order, on the calling thread. Callers synchronise with the actors themselves afterwards.
 */
public final class ManualClock {
  private ManualClock() {}

  public static void timePasses(ActorSystem<?> system, long ms) {
    ExplicitlyTriggeredScheduler s = scheduler(system);
    long to = s.currentTimeMs() + ms;
    s.scheduleOnce(Duration.ofMillis(ms), () -> { }, system.executionContext());
    s.executeTasks(to);
    if (s.currentTimeMs() != to) {
      throw new AssertionError("manual clock at " + s.currentTimeMs() + ", expected " + to);
    }
  }

  public static ExplicitlyTriggeredScheduler scheduler(ActorSystem<?> system) {
    return (ExplicitlyTriggeredScheduler) Adapter.toClassic(system).scheduler();
  }

  /** Tasks still scheduled whose runnable's class has this fully qualified name. */
  public static long scheduledOf(ActorSystem<?> system, String className) {
    java.util.Map<?, ?> scheduled = scheduler(system).akka$testkit$ExplicitlyTriggeredScheduler$$scheduled();
    // Item is private to Akka; its case-class toString shows the runnable as ClassName@hash
    return scheduled.keySet().stream().filter(item -> item.toString().contains(className + "@")).count();
  }
}

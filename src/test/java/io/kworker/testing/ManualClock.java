package io.kworker.testing;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.testkit.ExplicitlyTriggeredScheduler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;

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

  /**
   * Tasks still scheduled whose runnable matches {@code runnable}. Pass a type test on kworker's own class
   * (io.kworker.internal.Internals.TIMER), never a class name: a rename must fail to compile, not turn a
   * count into 0.
   */
  public static long scheduledOf(ActorSystem<?> system, Predicate<Object> runnable) {
    Map<?, ?> scheduled = scheduler(system).akka$testkit$ExplicitlyTriggeredScheduler$$scheduled();
    return scheduled.keySet().stream().map(ManualClock::runnableOf).filter(runnable).count();
  }

  /**
   * The task of one of the scheduler's items. Akka's {@code Item} is a private class (not a case class, so
   * no {@code scala.Product}, and its {@code toString} is Object's): its public accessor is called by
   * reflection, and an Akka without it fails loudly.
   */
  private static Object runnableOf(Object item) {
    try {
      Method runnable = item.getClass().getMethod("runnable");
      return runnable.invoke(item);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new AssertionError("Akka's manual scheduler keeps its tasks differently: " + item.getClass(), e);
    } catch (InvocationTargetException e) {
      throw new AssertionError(e.getCause());
    }
  }
}

package io.kworker.internal;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.ActorRef;

/**
 * Where the armed timers of an actor system's workers wait for their deadline: kworker's own
 * {@link TimerThread} (the default), or Akka's scheduler ({@link AkkaTimers}), chosen by
 * {@code kworker.timers}. One instance per actor system, shared by its workers; only worker actors
 * call it.
 *
 * <p>INTERNAL API.
 */
abstract class Timers {
  static Timers of(ActorSystem<?> system) {
    return SystemShared.get(system).timers;
  }

  static Timers create(ActorSystem<?> system) {
    String kind = system.settings().config().getString("kworker.timers");
    boolean akka = switch (kind) {
      case "thread" -> false;
      case "scheduler", "akka-scheduler" -> true; // the actor system's; the old name stays an alias
      // Akka's ManualTime (the testkit's ExplicitlyTriggeredScheduler): delayed works follow it
      case "auto" -> system.settings().config().getString("akka.scheduler.implementation")
          .endsWith("ExplicitlyTriggeredScheduler");
      default -> throw new IllegalArgumentException(
          "kworker.timers must be auto, thread or scheduler, not [" + kind + "]");
    };
    if (akka) {
      return new AkkaTimers(system);
    }
    TimerThread timers = new TimerThread("kworker-timer-" + system.name());
    system.getWhenTerminated().thenRun(timers::shutdown);
    return timers;
  }

  /** A timer for {@code subject} (see {@link Timer}), not armed yet. */
  Timer newTimer(Object subject, ActorRef<Object> target) {
    return new Timer(subject, target);
  }

  /** Actor: arms {@code t} to fire once, {@code delayNanos} (> 0) from now. */
  abstract void arm(Timer t, long delayNanos);

  /**
   * Actor: the same, for a delay whose end the caller reckoned already ({@code at}, System.nanoTime; 0 if
   * not). These timers take the delay; the timer thread takes the instant, and reads no clock.
   */
  void arm(Timer t, long delayNanos, long at) {
    arm(t, delayNanos);
  }

  /** Actor: {@code t} will not fire (or its expiry message, if already sent, is dropped as stale). */
  abstract void cancel(Timer t);

  /** Actor, on the expiry message of a current timer: false if it was re-armed for a further step. */
  boolean expired(Timer t) {
    return true;
  }
}

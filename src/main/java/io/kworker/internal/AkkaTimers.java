package io.kworker.internal;

import akka.actor.Cancellable;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Scheduler;
import java.time.Duration;
import scala.concurrent.ExecutionContext;

/**
 * Timers on the actor system's scheduler, so that Akka's ManualTime drives delayed works in tests. Its
 * tick ({@code akka.scheduler.tick-duration}, 10 ms by default) bounds how late a timer fires.
 *
 * <p>INTERNAL API.
 */
final class AkkaTimers extends Timers {
  /** Akka's scheduler refuses delays over 2^31 ticks (~24 days at 1 ms); longer ones go in steps. */
  private static final long MAX_STEP_NANOS = Duration.ofDays(20).toNanos();
  private static final ExecutionContext SAME_THREAD = ExecutionContext.fromExecutor(Runnable::run);

  private final Scheduler scheduler;

  AkkaTimers(ActorSystem<?> system) {
    this.scheduler = system.scheduler();
  }

  /** The scheduler's task, and the delay still to go after the current step (actor-confined). */
  static final class Stepped extends Timer {
    Cancellable task;
    long remainingNanos;

    Stepped(Object subject, ActorRef<Object> target) {
      super(subject, target);
    }
  }

  @Override
  Timer newTimer(Object subject, ActorRef<Object> target) {
    return new Stepped(subject, target);
  }

  @Override
  void arm(Timer t, long delayNanos) {
    Stepped s = (Stepped) t;
    s.deadline = System.nanoTime() + Math.min(delayNanos, Long.MAX_VALUE >> 1); // in real time
    long step = Math.min(delayNanos, MAX_STEP_NANOS);
    s.remainingNanos = delayNanos - step;
    s.task = scheduler.scheduleOnce(Duration.ofNanos(step), s, SAME_THREAD);
  }

  @Override
  boolean expired(Timer t) {
    Stepped s = (Stepped) t;
    if (s.remainingNanos == 0) {
      return true;
    }
    arm(s, s.remainingNanos);
    return false;
  }

  @Override
  void cancel(Timer t) {
    ((Stepped) t).task.cancel(); // a task that already ran left a message that the actor ignores
  }
}

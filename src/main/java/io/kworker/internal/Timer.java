package io.kworker.internal;

import akka.actor.Cancellable;
import akka.actor.DeadLetterSuppression;
import akka.actor.typed.ActorRef;
import io.kworker.KWorker;

/**
 * An armed delayed work: scheduled on Akka's scheduler, which runs it on its own thread to send this
 * same object to the worker actor as the expiry message.
 *
 * <p>INTERNAL API. The object is its own token: the actor acts on an expiry only while the work's
 * {@link WorkCore#timer} is this very object, so a cancelled or re-armed timer that fires anyway is
 * dropped. The links form the actor's list of armed works (the kernel's {@code delayed_work_list}).
 */
final class Timer implements Runnable, KWorker.Command.Internal, DeadLetterSuppression {
  final WorkCore work;
  private final ActorRef<KWorker.Command> target;
  Cancellable task;
  /** Delay still to go after the current step (delays beyond the scheduler's range are stepped). */
  long remainingNanos;
  Timer prev;
  Timer next;

  Timer(WorkCore work, ActorRef<KWorker.Command> target) {
    this.work = work;
    this.target = target;
  }

  @Override
  public void run() {
    target.tell(this);
  }
}

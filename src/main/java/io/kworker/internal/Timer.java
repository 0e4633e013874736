package io.kworker.internal;

import akka.actor.DeadLetterSuppression;
import akka.actor.typed.ActorRef;
import io.kworker.KWorker;

/**
 * An armed delayed work: held by the actor system's {@link Timers} until its deadline, then sent, this
 * same object, to the worker actor as the expiry message.
 *
 * <p>INTERNAL API. The object is its own token: the actor acts on an expiry only while the work's
 * {@link WorkCore#timer} is this very object, so a cancelled or re-armed timer that fires anyway is
 * dropped. The links form the actor's list of armed works (the kernel's {@code delayed_work_list}).
 */
class Timer implements Runnable, KWorker.Command.Internal, DeadLetterSuppression {
  /** The work, until the actor disarms the timer (then null, so a cancelled timer pins no work). */
  WorkCore work;
  private final ActorRef<KWorker.Command> target;
  /** Actor-confined: the list of armed timers. */
  Timer prev;
  Timer next;
  /** Guarded by the {@link TimerThread}'s lock: the deadline (System.nanoTime), and where it is. */
  long deadline;
  boolean inHeap;
  boolean cancelled;

  Timer(WorkCore work, ActorRef<KWorker.Command> target) {
    this.work = work;
    this.target = target;
  }

  /** The expiry: the timer thread (or Akka's scheduler) tells the worker actor. */
  @Override
  public void run() {
    target.tell(this);
  }
}

package io.kworker.internal;

import akka.actor.DeadLetterSuppression;
import akka.actor.NoSerializationVerificationNeeded;
import akka.actor.typed.ActorRef;

/**
 * One expiry the worker actor asked for: held by the actor system's {@link Timers} until its deadline,
 * then sent, this same object, to the worker actor.
 *
 * <p>INTERNAL API. The object is its own token: the actor acts on an expiry only while the timer is still
 * the one it armed ({@link KthreadWork#timer} for a delayed work), so a cancelled or re-armed timer that
 * fires anyway is dropped. Its {@link #subject} says what it is for:
 * <ul>
 *   <li>a delayed work ({@link KthreadWork}): the work's expiry; cleared when disarmed, so that a cancelled
 *       timer pins no work. The links form the actor's list of armed works (the kernel's
 *       {@code delayed_work_list});
 *   <li>a running {@link Ticket}: a cancel's grace period is over, interrupt that run if it still goes on;
 *   <li>a destroy {@link Request}: its deadline has passed.
 * </ul>
 */
class Timer implements Runnable, DeadLetterSuppression, NoSerializationVerificationNeeded {
  /** What the expiry is for (see above); null once the actor has cancelled it. Actor-confined. */
  Object subject;
  private final ActorRef<Object> target;
  /** Actor-confined: the list of armed works. */
  Timer prev;
  Timer next;
  /**
   * The deadline (System.nanoTime), set when armed: by the worker actor, which may read it back; on the
   * {@link TimerThread}, under its lock, as are the two fields below (where the timer is).
   */
  long deadline;
  boolean inHeap;
  boolean cancelled;

  Timer(Object subject, ActorRef<Object> target) {
    this.subject = subject;
    this.target = target;
  }

  /** The expiry: the timer thread (or Akka's scheduler) tells the worker actor. */
  @Override
  public void run() {
    target.tell(this);
  }
}

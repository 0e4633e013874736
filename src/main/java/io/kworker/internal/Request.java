package io.kworker.internal;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One call on a worker: from the façade (completing a {@link CompletableFuture}) or from the actor
 * protocol (answering a {@code replyTo} with a {@link StatusReply}).
 *
 * <p>INTERNAL API.
 */
final class Request extends Inbox.Entry {
  final Op op;
  /** The target work, or null for worker-wide operations. */
  final KthreadWork work;
  /** Delay, grace period or deadline, in nanoseconds, as {@link Durations} says. */
  final long nanos;
  /**
   * destroy(deadline): when the deadline passes (System.nanoTime, from the call), unless nanos is NEVER.
   * A delayed queueing whose caller reckoned the end of the delay itself: that instant; else 0, and the
   * worker reckons the delay from when it arms the timer.
   */
  final long deadline;
  /** The run on this worker's lane that made the call, or null. */
  Ticket caller;
  /**
   * A façade call counted in its caller's {@link Ticket#addCall calls}, to uncount once served. A protocol
   * command of a run is not: its run counts once for all of them, until the lane's {@link Over}.
   */
  final boolean countedCall;
  private final CompletableFuture<Object> future;
  private final ActorRef<StatusReply<Object>> replyTo;
  /** Cancels and disables: whether this call took a pending instance out. */
  boolean removed;
  /** flushDelayed: whether this call waits for an instance. */
  boolean waited;
  /** Drain: the worker's dispatch count when the current barrier went in, and the rounds so far. */
  long mark;
  int rounds;
  /** cancelSync's grace timer, destroy(deadline)'s deadline timer, while armed. */
  Timer timer;
  /** A destroy: the armed works it disarmed, for its report. */
  List<io.kworker.Work> disarmed = List.of();

  /**
   * A façade call, made by {@code caller} (a run on the worker's lane) or by anyone else (null); {@code at}
   * is the end of a delay the caller reckoned itself, or 0.
   */
  Request(Op op, KthreadWork work, long nanos, long at, Ticket caller, CompletableFuture<Object> future) {
    this(op, work, nanos, at, caller, caller != null, future, null);
  }

  /** A protocol command; the actor finds out whether a run of its own made it. */
  @SuppressWarnings("unchecked")
  Request(Op op, KthreadWork work, long nanos, ActorRef<?> replyTo) {
    this(op, work, nanos, 0, null, false, null, (ActorRef<StatusReply<Object>>) replyTo);
  }

  private Request(Op op, KthreadWork work, long nanos, long at, Ticket caller, boolean countedCall,
      CompletableFuture<Object> future, ActorRef<StatusReply<Object>> replyTo) {
    this.op = op;
    this.work = work;
    this.nanos = nanos;
    this.deadline = op == Op.DESTROY_REPORT && nanos != Durations.NEVER ? System.nanoTime() + nanos : at;
    this.caller = caller;
    this.countedCall = countedCall;
    this.future = future;
    this.replyTo = replyTo;
  }

  /**
   * Lane: answers a façade call whose instance is over at once, one thread wake-up sooner than the
   * actor could. The actor still settles it (a second completion of a future is a no-op), and it does
   * so before serving any later call of the same caller, because the lane's notice went into the inbox
   * first.
   */
  void completeEarly() {
    if (completesEarly()) {
      future.complete(op.settledAnswer(this));
    }
  }

  /**
   * Whether {@link #completeEarly} answers this request: a façade call with a settled answer. (The lane
   * answers early only while no run has protocol commands in flight, so never a cancel that must also
   * wait for an older run's: WorkerBehavior.settle.)
   */
  boolean completesEarly() {
    return future != null && op.settles();
  }

  void succeed(Object value) {
    if (future != null) {
      future.complete(value);
    } else if (replyTo != null) {
      replyTo.tell(StatusReply.success(value));
    }
  }

  void fail(Throwable error) {
    if (future != null) {
      future.completeExceptionally(error);
    } else if (replyTo != null) {
      replyTo.tell(StatusReply.error(error));
    }
  }

  @Override
  public String toString() {
    return op + (work == null ? "" : "(" + work.logName() + ")");
  }
}

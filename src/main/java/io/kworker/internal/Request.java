package io.kworker.internal;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.util.concurrent.CompletableFuture;

/**
 * One call on a worker: from the façade (completing a {@link CompletableFuture}) or from the actor
 * protocol (answering a {@code replyTo} with a {@link StatusReply}).
 *
 * <p>INTERNAL API.
 */
final class Request {
  final Op op;
  /** The target work, or null for worker-wide operations. */
  final WorkCore work;
  /** Delay, grace period or deadline, in nanoseconds; meaning depends on {@link #op}. */
  final long nanos;
  /** The instance running on this worker's lane that made the call, or null. */
  Ticket caller;
  /**
   * A façade call counted in its caller's {@link Ticket#addCall calls}, to uncount once served. A protocol
   * command of a run is not: its run counts once for all of them, until the lane's {@link RunOver}.
   */
  boolean countedCall;
  /** For {@link Op#REPORT}: the instance that is over. */
  final Ticket report;
  private final CompletableFuture<Object> future;
  private final ActorRef<StatusReply<Object>> replyTo;
  /** Link in the {@link Inbox}. */
  volatile Request next;
  /** Cancel and disable: whether this call removed a pending instance; flushDelayed: whether it waits. */
  boolean removed;
  /** Drain: the worker's dispatch count when the current barrier went in, and the rounds so far. */
  long mark;
  int rounds;
  /** cancelSync's grace timer, destroy(deadline)'s deadline timer, while armed. */
  Timer timer;
  /** destroy(deadline): when the deadline passes (System.nanoTime, from the call), unless nanos is NEVER. */
  final long deadline;

  Request(Op op, WorkCore work, long nanos, Ticket caller, CompletableFuture<Object> future,
      ActorRef<StatusReply<Object>> replyTo) {
    this.op = op;
    this.work = work;
    this.nanos = nanos;
    this.caller = caller;
    this.countedCall = caller != null;
    this.deadline = op == Op.DESTROY_REPORT && nanos != Durations.NEVER ? System.nanoTime() + nanos : 0;
    this.report = null;
    this.future = future;
    this.replyTo = replyTo;
  }

  private Request(Ticket report) {
    this.op = Op.REPORT;
    this.work = null;
    this.nanos = 0;
    this.caller = null;
    this.deadline = 0;
    this.report = report;
    this.future = null;
    this.replyTo = null;
  }

  /** The lane's report on a watched instance that is over; its waiters are in {@link Ticket#reported}. */
  static Request report(Ticket t) {
    return new Request(t);
  }

  @SuppressWarnings("unchecked")
  static Request of(Op op, WorkCore work, long nanos, ActorRef<?> replyTo) {
    return new Request(op, work, nanos, null, null, (ActorRef<StatusReply<Object>>) replyTo);
  }

  /**
   * The answer of a request that waited for an instance that is now over, or null if only the actor
   * can tell (a drain decides whether to go another round).
   */
  Object settledValue() {
    return switch (op) {
      case CANCEL_SYNC, DISABLE_SYNC -> removed;
      case FLUSH_DELAYED -> Boolean.TRUE;
      case FLUSH_WORK, FLUSH_WORKER -> akka.Done.getInstance();
      default -> null;
    };
  }

  /**
   * Lane: answers a façade call whose instance is over at once, one thread wake-up sooner than the
   * actor could. The actor still settles it (a second completion of a future is a no-op), and it does
   * so before serving any later call of the same caller, because the report went into the inbox first.
   */
  void completeEarly() {
    if (completesEarly()) {
      future.complete(settledValue());
    }
  }

  /** Whether {@link #completeEarly} answers this request: a façade call with a settled value. */
  boolean completesEarly() {
    return future != null && settledValue() != null;
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

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
  final Ticket caller;
  private final CompletableFuture<Object> future;
  private final ActorRef<StatusReply<Object>> replyTo;
  /** Link in the {@link Inbox}. */
  volatile Request next;
  /** Cancel and disable: whether this call removed a pending instance; flushDelayed: whether it waits. */
  boolean removed;
  /** Drain: the worker's dispatch count when the current barrier went in, and the rounds so far. */
  long mark;
  int rounds;

  Request(Op op, WorkCore work, long nanos, Ticket caller, CompletableFuture<Object> future,
      ActorRef<StatusReply<Object>> replyTo) {
    this.op = op;
    this.work = work;
    this.nanos = nanos;
    this.caller = caller;
    this.future = future;
    this.replyTo = replyTo;
  }

  @SuppressWarnings("unchecked")
  static Request of(Op op, WorkCore work, long nanos, ActorRef<?> replyTo) {
    return new Request(op, work, nanos, null, null, (ActorRef<StatusReply<Object>>) replyTo);
  }

  void succeed(Object value) {
    if (future != null) {
      future.complete(value);
    } else {
      replyTo.tell(StatusReply.success(value));
    }
  }

  void fail(Throwable error) {
    if (future != null) {
      future.completeExceptionally(error);
    } else {
      replyTo.tell(StatusReply.error(error));
    }
  }

  @Override
  public String toString() {
    return op + (work == null ? "" : "(" + work.name() + ")");
  }
}

package io.kworker.internal;

import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import java.util.concurrent.CompletableFuture;

/**
 * One call on a worker: from the façade (the request is itself the {@link CompletableFuture} the
 * façade hands out, one allocation instead of two) or from the actor protocol (answering a
 * {@code replyTo} with a {@link StatusReply}).
 *
 * <p>INTERNAL API.
 */
final class Request extends CompletableFuture<Object> {
  final Op op;
  /** The target work, or null for worker-wide operations. */
  final WorkCore work;
  /** Delay, grace period or deadline, in nanoseconds; meaning depends on {@link #op}. */
  final long nanos;
  /** The instance running on this worker's lane that made the call, or null. */
  final Ticket caller;
  private final ActorRef<StatusReply<Object>> replyTo;
  /** Link in the {@link Inbox}. */
  volatile Request next;
  /** Cancel and disable: whether this call removed a pending instance. */
  boolean removed;
  /** Drain: the worker's dispatch count when the current barrier went in, and the rounds so far. */
  long mark;
  int rounds;

  Request(Op op, WorkCore work, long nanos, Ticket caller, ActorRef<StatusReply<Object>> replyTo) {
    this.op = op;
    this.work = work;
    this.nanos = nanos;
    this.caller = caller;
    this.replyTo = replyTo;
  }

  @SuppressWarnings("unchecked")
  static Request of(Op op, WorkCore work, long nanos, ActorRef<?> replyTo) {
    return new Request(op, work, nanos, null, (ActorRef<StatusReply<Object>>) replyTo);
  }

  void succeed(Object value) {
    if (replyTo == null) {
      complete(value);
    } else {
      replyTo.tell(StatusReply.success(value));
    }
  }

  void fail(Throwable error) {
    if (replyTo == null) {
      completeExceptionally(error);
    } else {
      replyTo.tell(StatusReply.error(error));
    }
  }

  @Override
  public String toString() {
    return op + (work == null ? "" : "(" + work.name() + ")");
  }
}

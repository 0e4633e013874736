package io.kworker.internal;

/**
 * The operations a worker serves, each with the answer it gets once the worker is gone.
 *
 * <p>INTERNAL API.
 */
public enum Op {
  QUEUE("queue", Closed.REJECT),
  QUEUE_DELAYED("queueDelayed", Closed.REJECT),
  MOD_DELAYED("modDelayed", Closed.REJECT),
  ENABLE_AND_QUEUE("enableAndQueue", Closed.REJECT),
  FLUSH_WORK("flush", Closed.DONE),
  FLUSH_DELAYED("flushDelayed", Closed.FALSE),
  CANCEL("cancel", Closed.FALSE),
  CANCEL_SYNC("cancelSync", Closed.FALSE),
  DISABLE("disable", Closed.FALSE),
  DISABLE_SYNC("disableSync", Closed.FALSE),
  ENABLE("enable", Closed.TRUE),
  STATE("status", Closed.IDLE),
  FLUSH_WORKER("flush()", Closed.DONE),
  DRAIN("drain", Closed.DONE),
  DESTROY("destroy", Closed.DONE),
  DESTROY_REPORT("destroy(deadline)", Closed.EMPTY_REPORT),
  /** Not a call: the lane's report that a watched instance is over, queued behind that run's calls. */
  REPORT("report", Closed.DONE);

  /** What a call made after the worker closed completes with. */
  enum Closed { REJECT, DONE, FALSE, TRUE, IDLE, EMPTY_REPORT }

  private final String methodName;
  final Closed closed;

  Op(String methodName, Closed closed) {
    this.methodName = methodName;
    this.closed = closed;
  }

  /** The façade method's name, for messages. */
  public String methodName() {
    return methodName;
  }

  /** True for the operations on one work (all but flush(), drain, destroy and the lane's report). */
  public boolean perWork() {
    return ordinal() < FLUSH_WORKER.ordinal();
  }
}

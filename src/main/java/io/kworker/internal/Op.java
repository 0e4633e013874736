package io.kworker.internal;

import akka.Done;
import io.kworker.DestroyReport;
import io.kworker.Work;
import io.kworker.WorkStatus;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

import static io.kworker.internal.Op.Admission.BINDS;
import static io.kworker.internal.Op.Admission.BOUND;
import static io.kworker.internal.Op.Admission.QUEUEING;
import static io.kworker.internal.Op.Admission.WORKER;
import static io.kworker.internal.Op.Duration.DEADLINE;
import static io.kworker.internal.Op.Duration.DELAY;
import static io.kworker.internal.Op.Duration.GRACE;
import static io.kworker.internal.Op.Duration.NONE;
import static io.kworker.internal.Op.WaitsOn.ITS_RUN;
import static io.kworker.internal.Op.WaitsOn.NOTHING;
import static io.kworker.internal.Op.WaitsOn.SEES_ITS_RUN;
import static io.kworker.internal.Op.WaitsOn.THE_LANE;

/**
 * The operations a worker serves, one row each: what each targets, how it is admitted, what its
 * duration means, what it answers on a work this worker does not know or on a worker that is gone,
 * what it answers once the instance it waited for is over, and its effect. The façade
 * ({@code KWorker}), the protocol ({@code Protocol.toRequest}), the worker actor and the answers on a
 * closed worker ({@link WorkerHandle#answerClosed}) all read this table; a new operation is a row here,
 * its effect in {@link WorkerBehavior}, a façade method and a protocol record.
 *
 * <p>INTERNAL API.
 */
public enum Op {
  //                façade name          admission  duration  a closed worker  idle answer   settled answer  effect
  //                                                          waits on         (null: refused (null: does not
  //                                                                           when closed)   wait, or decides)
  QUEUE(            "queue",             QUEUEING,  NONE,     NOTHING,         null,          null,           WorkerBehavior::queue),
  QUEUE_DELAYED(    "queueDelayed",      QUEUEING,  DELAY,    NOTHING,         null,          null,           WorkerBehavior::queue),
  MOD_DELAYED(      "modDelayed",        QUEUEING,  DELAY,    NOTHING,         null,          null,           WorkerBehavior::mod),
  ENABLE_AND_QUEUE( "enableAndQueue",    QUEUEING,  NONE,     NOTHING,         null,          null,           WorkerBehavior::enable),
  FLUSH_WORK(       "flush",             BOUND,     NONE,     ITS_RUN,         A.DONE,        A.DONE,         WorkerBehavior::flushWork),
  FLUSH_DELAYED(    "flushDelayed",      BOUND,     NONE,     ITS_RUN,         A.WAITED,      A.TRUE,         WorkerBehavior::flushDelayed),
  CANCEL(           "cancel",            BOUND,     NONE,     NOTHING,         A.REMOVED,     null,           WorkerBehavior::cancel),
  CANCEL_SYNC(      "cancelSync",        BOUND,     GRACE,    ITS_RUN,         A.REMOVED,     A.REMOVED,      WorkerBehavior::cancel),
  DISABLE(          "disable",           BINDS,     NONE,     NOTHING,         A.REMOVED,     null,           WorkerBehavior::disable),
  DISABLE_SYNC(     "disableSync",       BINDS,     NONE,     ITS_RUN,         A.REMOVED,     A.REMOVED,      WorkerBehavior::disable),
  ENABLE(           "enable",            BINDS,     NONE,     NOTHING,         A.TRUE,        null,           WorkerBehavior::enable),
  STATE(            "status",            BOUND,     NONE,     SEES_ITS_RUN,    A.IDLE_STATUS, null,           WorkerBehavior::status),
  FLUSH_WORKER(     "flush()",           WORKER,    NONE,     THE_LANE,        A.DONE,        A.DONE,         WorkerBehavior::flushWorker),
  DRAIN(            "drain",             WORKER,    NONE,     THE_LANE,        A.DONE,        null,           WorkerBehavior::drain),
  DESTROY(          "destroy",           WORKER,    NONE,     THE_LANE,        A.DONE,        null,           WorkerBehavior::destroy),
  DESTROY_REPORT(   "destroy(deadline)", WORKER,    DEADLINE, THE_LANE,        A.REPORT,      null,           WorkerBehavior::destroy);

  /** The answers of the table. */
  private static final class A {
    static final Function<Request, Object> DONE = r -> Done.getInstance();
    static final Function<Request, Object> TRUE = r -> Boolean.TRUE;
    static final Function<Request, Object> REMOVED = r -> r.removed;
    static final Function<Request, Object> WAITED = r -> r.waited;
    static final Function<Request, Object> IDLE_STATUS = r -> WorkStatus.idle((Work) r.work);
    /** A destroy that ended in time; it names what it disarmed. */
    static final Function<Request, Object> REPORT = r -> r.disarmed.isEmpty() ? DestroyReport.EMPTY
        : new DestroyReport(true, List.of(), List.of(), r.disarmed);
  }

  /** How a call gets to its effect. */
  enum Admission {
    /** Queueing: refused once destroy is accepted; binds the work to this worker. */
    QUEUEING,
    /** Binds the work to this worker (a disable count must follow the work), refused if another holds it. */
    BINDS,
    /** On a work bound here; a work this worker does not know is idle here and gets the idle answer. */
    BOUND,
    /** On the worker as a whole. */
    WORKER
  }

  /** What the call's duration is; all read as {@link Durations} says. */
  enum Duration {
    NONE(""), DELAY("delay"), GRACE("grace"), DEADLINE("deadline");

    final String label;

    Duration(String label) {
      this.label = label;
    }
  }

  /** On a worker whose actor has stopped: what a call waits for before it gets its answer. */
  enum WaitsOn {
    /** Nothing: it is answered at once. */
    NOTHING,
    /** Nothing, but its answer says whether the run of its work goes on. */
    SEES_ITS_RUN,
    /** The run of its own work, if the lane is still in it (then its settled answer, else its idle one). */
    ITS_RUN,
    /** The lane's return from whatever it runs (destroy(deadline): at most until its deadline). */
    THE_LANE
  }

  private final String methodName;
  final Admission admission;
  final Duration duration;
  final WaitsOn closedWaitsOn;
  private final Function<Request, Object> idle;
  private final Function<Request, Object> settled;
  final BiConsumer<WorkerBehavior, Request> effect;

  Op(String methodName, Admission admission, Duration duration, WaitsOn closedWaitsOn,
      Function<Request, Object> idle, Function<Request, Object> settled,
      BiConsumer<WorkerBehavior, Request> effect) {
    this.methodName = methodName;
    this.admission = admission;
    this.duration = duration;
    this.closedWaitsOn = closedWaitsOn;
    this.idle = idle;
    this.settled = settled;
    this.effect = effect;
  }

  /** The façade method's name, for messages. */
  public String methodName() {
    return methodName;
  }

  /** True for the operations on one work (all but flush(), drain and destroy). */
  public boolean perWork() {
    return admission != Admission.WORKER;
  }

  /** {@code d} in nanoseconds, as this operation takes it (see {@link Durations}). */
  public long nanos(java.time.Duration d) {
    return Durations.toNanos(d, duration.label);
  }

  /** Whether the answer of a waiting call is known once its instance is over (drain decides itself). */
  boolean settles() {
    return settled != null;
  }

  /** The answer to a call that waited, once the instance it waited for is over. */
  Object settledAnswer(Request r) {
    return settled.apply(r);
  }

  /** Whether a worker that is gone refuses the call (queueing) rather than answering as on an idle work. */
  boolean refusedWhenClosed() {
    return idle == null;
  }

  /** The answer on a work this worker does not know, or on a worker that is gone. */
  Object idleAnswer(Request r) {
    return idle.apply(r);
  }
}

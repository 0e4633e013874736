package io.kworker.internal;

import akka.actor.typed.ActorRef;
import io.kworker.KWorker;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the façade, the works and the lane share of one worker: its name, its actor, its inbox. It holds
 * no worker state; that lives in {@link WorkerBehavior}.
 *
 * <p>INTERNAL API.
 */
public final class WorkerHandle {
  private static final Logger LOG = LoggerFactory.getLogger(KWorker.class);

  private final String name;
  final Inbox inbox = new Inbox(this);
  /** How the worker is observed, and its counters (see {@link WorkerStats}). */
  final Instrumentation instrumentation;
  private final WorkerStats stats;
  private volatile ActorRef<KWorker.Command> ref;
  /** Set by the actor once it stops; see {@link WorkCore} for what it orders. */
  private volatile boolean closed;
  /** The lane, set by the actor at start. */
  private volatile Lane lane;
  /** The façade, created on first use. */
  private volatile Object facade;

  /** A handle with the default instrumentation (counters and MDC on, JMX auto, timings off). */
  public WorkerHandle(String name) {
    this(name, Instrumentation.DEFAULT);
  }

  public WorkerHandle(String name, Instrumentation instrumentation) {
    this.name = name;
    this.instrumentation = instrumentation;
    this.stats = new WorkerStats(instrumentation.timings());
  }

  public WorkerStats stats() {
    return stats;
  }

  public String name() {
    return name;
  }

  public ActorRef<KWorker.Command> ref() {
    return ref;
  }

  /** Set once, by whoever spawns the actor, before any call. */
  public void setRef(ActorRef<KWorker.Command> ref) {
    this.ref = ref;
  }

  /** True once the actor has stopped and the lane has returned from its last work. */
  public boolean isClosed() {
    Lane l = lane;
    return closed && (l == null || l.stopped().isDone());
  }

  public Object facade() {
    return facade;
  }

  public void setFacade(Object facade) {
    this.facade = facade;
  }

  /** Façade entry point: one call, answered by the actor, or here if the worker is gone. */
  public CompletableFuture<Object> call(Op op, WorkCore work, long nanos) {
    CompletableFuture<Object> future = new CompletableFuture<>();
    Lane lane = this.lane;
    Ticket caller = lane == null ? null : lane.runningOnCallerThread();
    if (caller != null) {
      caller.addCall();
    }
    Request r = new Request(op, work, nanos, caller, future, null);
    if (!inbox.offer(r)) {
      answerClosed(r);
    }
    return future;
  }

  void wake() {
    ref.tell(Wake.INSTANCE);
  }

  /**
   * Lane: a watched instance is over (finished or skipped). The report goes into the inbox behind every
   * call the run made; then, if no such call is left to serve, the façade callers waiting for it are
   * answered from here.
   *
   * <p>If that answers every waiter, the report goes in without waking the actor: what is left for the
   * actor (the canceling count, the watched set) can only be observed by a call served after the report,
   * or by a protocol command, which drains the inbox first. So a cancelSync of a running work costs one
   * thread wake-up (lane to caller), as a {@code Future.get} does, not two.
   */
  void report(Ticket t) {
    List<Request> waiters = t.takeWaiters();
    t.reported = waiters; // published to the actor by the link
    boolean over = !t.isRunning();
    // no waiters: the destroy barrier (its destroyers are the actor's), which the actor must see now
    boolean answered = over && !waiters.isEmpty();
    for (int i = 0; answered && i < waiters.size(); i++) {
      answered = waiters.get(i).completesEarly();
    }
    Request report = Request.report(t);
    int taken = answered ? inbox.enqueueLazily(report) : inbox.enqueue(report);
    if (taken == Inbox.REFUSED) {
      for (Request r : waiters) {
        answerClosed(r);
      }
      return;
    }
    if (over) {
      for (Request r : waiters) {
        r.completeEarly(); // the report is linked in already: any next call of theirs comes after it
      }
    }
    if (taken == Inbox.WAKE) {
      wake(); // after the answers: the waiting caller should not wait for the actor's dispatcher
    }
  }

  void workFailed(WorkCore work, Throwable e) {
    LOG.error("Work [{}] on worker [{}] failed; the worker goes on", work.name(), name, e);
  }

  void started(Lane lane) {
    this.lane = lane;
  }

  /** The instance of {@code work} running on the calling thread on this worker's lane, or null. */
  Ticket runningOnCallerThread(WorkCore work) {
    Lane lane = this.lane;
    Ticket t = lane == null ? null : lane.runningOnCallerThread();
    return t != null && t.work == work ? t : null;
  }

  void markClosed() {
    closed = true;
  }

  void failedToStart(Throwable cause) {
    LOG.error("Worker [{}] failed to start; every call on it completes as on a destroyed worker", name,
        cause);
    markClosed();
    for (Request r : inbox.close()) {
      answerClosed(r);
    }
  }

  /**
   * Answers a call on a worker that is gone: queueing fails; every other call completes as on an idle
   * worker, but only once the lane has returned from the work it was running, so that a successful
   * cancel still means "not running".
   */
  void answerClosed(Request r) {
    if (r.op == Op.REPORT) {
      for (Request waiter : r.report.reported) {
        answerClosed(waiter);
      }
      return;
    }
    if (r.op.closed == Op.Closed.REJECT) {
      r.fail(new RejectedExecutionException(
          "worker [" + name + "] is destroyed; " + r.op.methodName() + " of work [" + r.work.name() + "] refused"));
      return;
    }
    Object value = switch (r.op.closed) {
      case DONE -> akka.Done.getInstance();
      case FALSE -> r.removed; // a cancel parked when the worker stopped still says what it removed
      case TRUE -> Boolean.TRUE;
      case IDLE -> io.kworker.WorkStatus.idle((io.kworker.Work) r.work);
      case EMPTY_REPORT -> io.kworker.DestroyReport.EMPTY;
      case REJECT -> throw new AssertionError();
    };
    Lane l = lane;
    CompletableFuture<Void> stopped = l == null ? null : l.stopped();
    if (stopped == null || stopped.isDone()) {
      r.succeed(value);
    } else {
      stopped.whenComplete((v, e) -> r.succeed(value));
    }
  }

  @Override
  public String toString() {
    return name;
  }
}

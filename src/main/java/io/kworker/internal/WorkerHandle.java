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
  /** The name as it goes into logs, thread names and messages (see {@link Names}). */
  private final String logName;
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
  /** The instance the lane was running when the actor stopped, if any: what a late call may wait for. */
  private volatile Ticket lastRun;
  /** Completed by {@link #markClosed}: a call refused by the closing inbox waits for it. */
  private final CompletableFuture<Void> marked = new CompletableFuture<>();

  /** A handle with the default instrumentation (counters and MDC on, JMX auto, timings off). */
  public WorkerHandle(String name) {
    this(name, Instrumentation.DEFAULT);
  }

  public WorkerHandle(String name, Instrumentation instrumentation) {
    this.name = name;
    this.logName = Names.safe(name);
    this.instrumentation = instrumentation;
    this.stats = new WorkerStats(instrumentation.timings());
  }

  public WorkerStats stats() {
    return stats;
  }

  public String name() {
    return name;
  }

  /** The name with control characters escaped, for log lines, thread names and error messages. */
  public String logName() {
    return logName;
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
   * Lane: a run that created protocol commands is over. Told through the mailbox, behind the commands
   * the run sent from its thread, so the actor serves them first; it then settles the run.
   */
  void runOver(Ticket t) {
    ref.tell(new RunOver(t));
  }

  void workFailed(WorkCore work, Throwable e) {
    LOG.error("Work [{}] on worker [{}] failed; the worker goes on", work.logName(), logName, e);
  }

  void started(Lane lane) {
    this.lane = lane;
  }

  /** The lane, once started (for tests). */
  Lane lane() {
    return lane;
  }

  /** The instance of {@code work} running on the calling thread on this worker's lane, or null. */
  Ticket runningOnCallerThread(WorkCore work) {
    Lane lane = this.lane;
    Ticket t = lane == null ? null : lane.runningOnCallerThread();
    return t != null && t.work == work ? t : null;
  }

  /** The actor has stopped; {@code lastRun} is the instance its lane is still running, or null. */
  void markClosed(Ticket lastRun) {
    this.lastRun = lastRun;
    closed = true;
    marked.complete(null);
    Lane l = lane;
    if (lastRun != null && l != null) {
      l.stopped().whenComplete((v, e) -> this.lastRun = null); // keep no work reachable after that
    }
  }

  void failedToStart(Throwable cause) {
    LOG.error("Worker [{}] failed to start; every call on it completes as on a destroyed worker", logName,
        cause);
    markClosed(null);
    for (Request r : inbox.close()) {
      answerClosed(r);
    }
  }

  /**
   * Answers a call on a worker that is gone: queueing fails; every other call completes as on an idle
   * worker, at once, except the waits that depend on the instance the lane was still running when the
   * actor stopped: a cancel-sync, disable-sync or flush of that work, and flush(), drain and destroy,
   * complete once the lane has returned from it (so that a successful cancel still means "not running"),
   * and destroy(deadline) at the latest at its deadline, with a report naming it.
   */
  void answerClosed(Request r) {
    if (r.op == Op.REPORT) {
      for (Request waiter : r.report.reported) {
        answerClosed(waiter);
      }
      return;
    }
    if (r.op.closed == Op.Closed.REJECT) {
      r.fail(new RejectedExecutionException("worker [" + logName + "] is destroyed; " + r.op.methodName()
          + " of work [" + r.work.logName() + "] refused"));
      return;
    }
    if (!closed) {
      // refused by the inbox PostStop has just closed: answer once it has said what still runs
      marked.whenComplete((v, e) -> answerClosed(r));
      return;
    }
    Lane l = lane;
    CompletableFuture<Void> stopped = l == null ? null : l.stopped();
    Ticket running = lastRun;
    boolean stillRunning = stopped != null && !stopped.isDone() && running != null
        && running.phase() == Ticket.RUNNING;
    boolean dependsOnIt = switch (r.op) {
      case FLUSH_WORKER, DRAIN, DESTROY, DESTROY_REPORT -> stopped != null && !stopped.isDone();
      case CANCEL_SYNC, DISABLE_SYNC, FLUSH_WORK, FLUSH_DELAYED, STATE ->
          stillRunning && r.work == running.work;
      default -> false;
    };
    Object value = switch (r.op.closed) {
      case DONE -> akka.Done.getInstance();
      case FALSE -> r.removed || (r.op == Op.FLUSH_DELAYED && dependsOnIt); // a parked call keeps its answer
      case TRUE -> Boolean.TRUE;
      case IDLE -> dependsOnIt
          ? new io.kworker.WorkStatus((io.kworker.Work) r.work, io.kworker.WorkState.RUNNING, 0, 0)
          : io.kworker.WorkStatus.idle((io.kworker.Work) r.work);
      case EMPTY_REPORT -> io.kworker.DestroyReport.EMPTY;
      case REJECT -> throw new AssertionError();
    };
    if (!dependsOnIt || r.op == Op.STATE) {
      r.succeed(value);
    } else if (r.op == Op.DESTROY_REPORT && r.nanos != Durations.NEVER) {
      io.kworker.DestroyReport late = stillRunning
          ? new io.kworker.DestroyReport(false, List.of((io.kworker.Work) running.work), List.of())
          : io.kworker.DestroyReport.EMPTY;
      long left = Math.max(0, r.deadline - System.nanoTime());
      stopped.thenApply(v -> value)
          .completeOnTimeout(late, left, java.util.concurrent.TimeUnit.NANOSECONDS)
          .thenAccept(r::succeed);
    } else {
      stopped.whenComplete((v, e) -> r.succeed(value));
    }
  }

  @Override
  public String toString() {
    return logName;
  }
}

package io.kworker.internal;

import akka.Done;
import akka.actor.typed.ActorRef;
import io.kworker.KWorker;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
  private static final VarHandle REFUSAL_LOGGED;

  static {
    try {
      REFUSAL_LOGGED = MethodHandles.lookup().findVarHandle(WorkerHandle.class, "refusalLogged", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  /** The name as it goes into logs, thread names and messages (see {@link Names}). */
  private final String logName;
  final Inbox inbox = new Inbox(this);
  /** How the worker is observed, and its counters (see {@link WorkerStats}). */
  final Instrumentation instrumentation;
  private final WorkerStats stats;
  /** The worker actor, with its internal messages (the public face is narrowed to Command). */
  private volatile ActorRef<Object> ref;
  /** Set by the actor once it stops; see {@link KthreadWork} for what it orders. */
  private volatile boolean closed;
  /** The lane, set by the actor at start. */
  private volatile Lane lane;
  /** The façade, created on first use. */
  private volatile Object facade;
  /** The instance the lane was running when the actor stopped, if any: what a late call may wait for. */
  private volatile Ticket lastRun;
  /** Set by the first refused queueing call, which is logged: one warning per worker. */
  private volatile boolean refusalLogged;
  /** Completed by {@link #markClosed}: a call refused by the closing inbox waits for it. */
  private final CompletableFuture<Void> marked = new CompletableFuture<>();
  /** Completed once the actor has stopped and the lane's thread runs nothing more. */
  private final CompletableFuture<Done> terminated = new CompletableFuture<>();

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

  WorkerStats stats() {
    return stats;
  }

  /** The worker's counters and timings now (see {@link WorkerStats}). */
  public io.kworker.KWorkerStats statsSnapshot() {
    return stats.snapshot(name);
  }

  public String name() {
    return name;
  }

  /** The name with control characters escaped, for log lines, thread names and error messages. */
  public String logName() {
    return logName;
  }

  /** The worker actor, for the protocol. */
  public ActorRef<KWorker.Command> ref() {
    ActorRef<Object> r = ref;
    return r == null ? null : r.narrow();
  }

  /** Set once, by whoever spawns the actor (or by the actor itself), before any call. */
  public void setRef(ActorRef<?> ref) {
    this.ref = ref.unsafeUpcast();
  }

  /** The actor as its own messages reach it. */
  ActorRef<Object> self() {
    return ref;
  }

  /** The façade's {@code whenTerminated}: a stage of its own for each caller, who cannot complete ours. */
  public CompletionStage<Done> whenTerminated() {
    return terminated.minimalCompletionStage();
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
  public CompletableFuture<Object> call(Op op, KthreadWork work, long nanos) {
    CompletableFuture<Object> future = new CompletableFuture<>();
    send(op, work, nanos, 0, future);
    return future;
  }

  /**
   * A call nobody waits for the answer of (the executor's): no future to make and complete. A queueing
   * the worker refuses tells the work ({@link KthreadWork#dropped}). A delay may come with the instant it
   * ends ({@code at}, System.nanoTime; 0 if not), which the caller has reckoned already: the timer then
   * expires at that instant. False if the worker was gone already.
   */
  public boolean tell(Op op, KthreadWork work, long nanos, long at) {
    return send(op, work, nanos, at, null);
  }

  private boolean send(Op op, KthreadWork work, long nanos, long at, CompletableFuture<Object> future) {
    Lane lane = this.lane;
    Ticket caller = lane == null ? null : lane.runningOnCallerThread();
    if (caller != null) {
      caller.addCall();
    }
    Request r = new Request(op, work, nanos, at, caller, future);
    if (!inbox.offer(r)) {
      answerClosed(r);
      return false;
    }
    return true;
  }

  void wake() {
    ref.tell(WorkerBehavior.Wake.INSTANCE);
  }

  /**
   * Lane: the instance is over; told through the mailbox, behind the protocol commands that runs sent
   * from the lane's thread, so that the actor serves them first.
   */
  void overThroughMailbox(Ticket t) {
    ref.tell(new Over(t, null));
  }

  /**
   * A queueing call refused because the worker is being destroyed or is gone. The caller learns it from
   * the failed stage; the worker's first refusal is also logged, for a caller that drops the stage (a
   * work queued by a timer callback, say, after shutdown has begun).
   */
  RejectedExecutionException refused(Request r, String why) {
    String refused = "[" + logName + "] " + why + "; " + r.op.methodName() + " of work [" + r.work.logName()
        + "] refused";
    if (!refusalLogged && REFUSAL_LOGGED.compareAndSet(this, false, true)) {
      LOG.warn("Worker {}: its stage fails with a RejectedExecutionException (only the first refusal of a "
          + "worker is logged)", refused);
    }
    return new RejectedExecutionException("worker " + refused);
  }

  void workFailed(KthreadWork work, Throwable e) {
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
  Ticket runningOnCallerThread(KthreadWork work) {
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
    (l == null ? marked : l.terminated()).whenComplete((v, e) -> terminated.complete(Done.getInstance()));
  }

  void failedToStart(Throwable cause) {
    LOG.error("Worker [{}] failed to start; every call on it completes as on a destroyed worker", logName,
        cause);
    Lane l = lane;
    if (l != null) {
      l.close(); // started before the failure: its thread ends, and the worker terminates
    }
    markClosed(null);
    inbox.close().forEach(this::answerClosed);
  }

  /** An entry the closed inbox still held: a call, or the lane's Over with the waiters it took. */
  void answerClosed(Inbox.Entry e) {
    if (e instanceof Request r) {
      answerClosed(r);
    } else {
      ((Over) e).waiters.forEach(this::answerClosed);
    }
  }

  /**
   * Answers a call on a worker that is gone ({@link WorkerBehavior}'s STOPPED and CLOSED states), as its
   * row of {@link Op} says: queueing fails; every other call gets its idle answer at once, unless it
   * waits on the run the lane is still in ({@link Op.WaitsOn}): a cancel-sync, disable-sync or flush of
   * that run's work gets its settled answer once the lane has returned from it (so that a successful
   * cancel still means "not running"), flush(), drain and destroy complete then too, and
   * destroy(deadline) at the latest at its deadline, with a report naming the run.
   */
  void answerClosed(Request r) {
    Op op = r.op;
    if (op.refusedWhenClosed()) {
      r.fail(refused(r, "is destroyed"));
      r.work.notifyDropped(false, logName);
      return;
    }
    if (!closed) {
      // refused by the inbox PostStop has just closed: answer once it has said what still runs
      marked.whenComplete((v, e) -> answerClosed(r));
      return;
    }
    Lane l = lane;
    CompletableFuture<Void> stopped = l == null ? null : l.stopped();
    boolean laneGoesOn = stopped != null && !stopped.isDone();
    Ticket running = lastRun;
    boolean itsRunGoesOn = laneGoesOn && running != null && running.phase() == Ticket.RUNNING
        && r.work != null && r.work == running.work;
    switch (op.closedWaitsOn) {
      case SEES_ITS_RUN -> r.succeed(itsRunGoesOn
          ? new io.kworker.WorkStatus((io.kworker.Work) r.work, io.kworker.WorkState.RUNNING, 0, 0)
          : op.idleAnswer(r));
      case ITS_RUN -> {
        if (itsRunGoesOn) {
          stopped.whenComplete((v, e) -> r.succeed(op.settledAnswer(r)));
        } else {
          r.succeed(op.idleAnswer(r));
        }
      }
      case THE_LANE -> {
        Object value = op.idleAnswer(r);
        if (!laneGoesOn) {
          r.succeed(value);
        } else if (op == Op.DESTROY_REPORT && r.nanos != Durations.NEVER) {
          io.kworker.DestroyReport late = running != null && running.phase() == Ticket.RUNNING
              ? new io.kworker.DestroyReport(false, List.of((io.kworker.Work) running.work), List.of(),
                  r.disarmed)
              : (io.kworker.DestroyReport) value;
          long left = Math.max(0, r.deadline - System.nanoTime());
          stopped.thenApply(v -> value)
              .completeOnTimeout(late, left, java.util.concurrent.TimeUnit.NANOSECONDS)
              .thenAccept(r::succeed);
        } else {
          stopped.whenComplete((v, e) -> r.succeed(value));
        }
      }
      default -> r.succeed(op.idleAnswer(r));
    }
  }

  @Override
  public String toString() {
    return logName;
  }
}

package io.kworker;

import akka.Done;
import akka.actor.typed.ActorSystem;
import io.kworker.internal.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ScheduledExecutorService} whose tasks run on a {@link KWorker}, in place of
 * {@code Executors.newSingleThreadScheduledExecutor()}, and whose futures can also cancel and wait until
 * the task no longer runs ({@link KWorkerFuture#cancelSync()}).
 *
 * <pre>{@code
 * ScheduledExecutorService executor = KWorkerExecutor.create(system, "poller"); // was newSingleThreadScheduledExecutor()
 * }</pre>
 *
 * <p>Each submission is a work of its own: the same {@code Runnable} submitted seven times runs seven
 * times. {@code submit}, {@code schedule}, {@code scheduleAtFixedRate} and {@code scheduleWithFixedDelay}
 * return {@link KWorkerFuture}s. It behaves as a {@code ScheduledThreadPoolExecutor} with one thread and
 * its default policies: null tasks and units throw {@link NullPointerException}, a period that is not
 * positive {@link IllegalArgumentException}, and every submission after {@link #shutdown()}
 * {@link RejectedExecutionException}; {@code Future.cancel} answers at once ({@code cancel(true)}
 * interrupts a run in progress before it returns); a periodic task that throws runs no more and its
 * {@code get()} throws the {@link ExecutionException}; a fixed-rate task that falls behind runs again at
 * once until it has caught up; {@code shutdown()} lets queued tasks and delayed one-shot tasks run and
 * cancels periodic ones; {@code shutdownNow()} returns the tasks that have not started, neither done nor
 * cancelled (as STPE leaves them), and interrupts the one running; the executor is terminated once the
 * worker's thread has ended ({@link KWorker#whenTerminated()}).
 *
 * <p>Where it differs from {@code ScheduledThreadPoolExecutor(1)}:
 * <ul>
 *   <li><b>Order.</b> Tasks that are due run in FIFO order of the moment they became due: a delayed task
 *       whose delay expires goes to the tail of the worker's queue, behind tasks submitted before that
 *       moment, as every delayed work of a kthread worker does. STPE runs due tasks in the order of their
 *       trigger times.
 *   <li><b>Thread.</b> Tasks run on the worker's thread, {@code kworker/<name>} (or on a dispatcher's, as
 *       the worker is configured), with the worker's and the task's names in the SLF4J MDC; a task is
 *       named after its class. There is no thread factory and no pool size.
 *   <li><b>The worker destroyed behind it.</b> If the worker of this executor is destroyed by someone
 *       else ({@link KWorker#destroy()}), or stops with its parent or its actor system, no future is left
 *       hanging: queued tasks still run if the destroy runs what is queued, and every task the worker
 *       drops (armed, or queued when its actor stops), every periodic task, and every task submitted
 *       while it is being destroyed completes cancelled. A submission once the worker is gone throws
 *       {@link RejectedExecutionException}, and the executor counts as shut down.
 *   <li><b>getDelay.</b> The time left until the task's trigger time, the very time the worker's timer
 *       is armed for. A task submitted without a delay has a delay of zero, not a growing negative one.
 *   <li><b>Waiting on the worker from its own tasks.</b> {@link KWorkerFuture#cancelSync()} of the task
 *       that calls it fails at once instead of waiting for itself; {@code Future.get()} of a task queued
 *       behind the caller, on the one thread, waits forever, as on STPE(1).
 * </ul>
 *
 * <p>{@link #create} makes a worker for the executor, which {@code shutdown()} destroys once the tasks it
 * lets run have run. {@link #of} is a view of a worker made elsewhere: its {@code shutdown()} stops the
 * view (no more tasks, periodic ones cancelled) but never ends the worker, so the view terminates when
 * the worker's owner destroys it; a view keeps a set of its unfinished tasks, for {@code shutdownNow()}.
 */
public final class KWorkerExecutor extends AbstractExecutorService implements ScheduledExecutorService {
  private static final int RUNNING = 0;
  private static final int SHUTDOWN = 1;
  private static final int STOP = 2;
  /** Longest delay or period taken, in nanoseconds (146 years): trigger times stay comparable by difference. */
  private static final long MAX_NANOS = Long.MAX_VALUE >> 1;

  private final KWorker worker;
  /** Where an executor that owns its worker asks for its destroy: never from a run of that worker. */
  private final Executor owner;
  private final CompletableFuture<Done> terminated;
  private volatile int state;
  /** Owner: the periodic tasks not finished, to cancel at shutdown. View: every task not finished. */
  private final Set<ExecutorTask<?>> tracked = ConcurrentHashMap.newKeySet();
  /** Owner: the delayed one-shot tasks not finished; the worker is destroyed after shutdown once none is left. */
  private final AtomicLong delayedLeft = new AtomicLong();
  private final AtomicBoolean destroyAsked = new AtomicBoolean();

  private KWorkerExecutor(KWorker worker, Executor owner) {
    this.worker = worker;
    this.owner = owner;
    this.terminated = worker.whenTerminated().toCompletableFuture();
  }

  /**
   * An executor with a worker of its own, {@code KWorker.create(system, name)}; {@link #shutdown()}
   * destroys that worker once the tasks shutdown lets run have run.
   *
   * @param system the actor system the worker runs in
   * @param name the worker's name (its thread is {@code kworker/<name>})
   * @return the executor
   */
  public static KWorkerExecutor create(ActorSystem<?> system, String name) {
    return new KWorkerExecutor(KWorker.create(system, name), system.executionContext());
  }

  /**
   * A view of {@code worker} as an executor. Its tasks share the worker with the worker's other works, in
   * one FIFO queue. Shutting the view down never ends the worker: the view terminates when the worker
   * does.
   *
   * @param worker the worker whose thread runs the tasks
   * @return the view
   */
  public static KWorkerExecutor of(KWorker worker) {
    return new KWorkerExecutor(Objects.requireNonNull(worker, "worker"), null);
  }

  /**
   * The worker that runs this executor's tasks.
   *
   * @return the worker
   */
  public KWorker worker() {
    return worker;
  }

  // ------------------------------------------------------------------ submitting

  @Override
  public void execute(Runnable command) {
    submit(command);
  }

  @Override
  public KWorkerFuture<?> submit(Runnable task) {
    return submit(task, null);
  }

  @Override
  public <T> KWorkerFuture<T> submit(Runnable task, T result) {
    return start(new ExecutorTask<>(this, Objects.requireNonNull(task, "task"), result, ExecutorTask.NOW, 0), 0);
  }

  @Override
  public <T> KWorkerFuture<T> submit(Callable<T> task) {
    return start(new ExecutorTask<>(this, Objects.requireNonNull(task, "task"), null, ExecutorTask.NOW, 0), 0);
  }

  @Override
  public KWorkerFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return schedule((Object) Objects.requireNonNull(command, "command"), delay, unit);
  }

  @Override
  public <V> KWorkerFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return schedule((Object) Objects.requireNonNull(callable, "callable"), delay, unit);
  }

  private <V> KWorkerFuture<V> schedule(Object task, long delay, TimeUnit unit) {
    long nanos = nanos(delay, unit);
    long time = nanos == 0 ? ExecutorTask.NOW : System.nanoTime() + nanos;
    return start(new ExecutorTask<>(this, task, null, time, 0), nanos);
  }

  @Override
  public KWorkerFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    Objects.requireNonNull(command, "command");
    return periodic(command, initialDelay, positive(period, unit, "period"), unit);
  }

  @Override
  public KWorkerFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
      TimeUnit unit) {
    Objects.requireNonNull(command, "command");
    return periodic(command, initialDelay, -positive(delay, unit, "delay"), unit);
  }

  private KWorkerFuture<?> periodic(Runnable command, long initialDelay, long period, TimeUnit unit) {
    long nanos = nanos(initialDelay, unit);
    return start(new ExecutorTask<>(this, command, null, System.nanoTime() + nanos, period), nanos);
  }

  /** A delay as taken: negative is zero, and at most {@link #MAX_NANOS}. */
  private static long nanos(long delay, TimeUnit unit) {
    Objects.requireNonNull(unit, "unit");
    return delay <= 0 ? 0 : Math.min(unit.toNanos(delay), MAX_NANOS);
  }

  private static long positive(long period, TimeUnit unit, String what) {
    Objects.requireNonNull(unit, "unit");
    if (period <= 0) {
      throw new IllegalArgumentException(what + " must be positive, not " + period + " " + unit);
    }
    return Math.min(unit.toNanos(period), MAX_NANOS);
  }

  /**
   * Hands a new task to the worker, after {@code delayNanos}, unless the executor is shut down. The
   * counts come first and the state check after them, so that a shutdown either sees the task or the
   * task sees the shutdown.
   */
  private <V> ExecutorTask<V> start(ExecutorTask<V> t, long delayNanos) {
    if (counted(t)) {
      delayedLeft.incrementAndGet();
    }
    if (trackedHere(t)) {
      tracked.add(t);
    }
    if (state != RUNNING) {
      t.abandon();
      throw new RejectedExecutionException(this + " is shut down; task [" + t.logName() + "] rejected");
    }
    if (!arm(t, delayNanos)) { // refused at once: the task is cancelled
      throw new RejectedExecutionException(this + ": its worker is gone; task [" + t.logName() + "] rejected");
    }
    return t;
  }

  /**
   * Queues {@code t} after {@code delayNanos} (at once if not positive), without waiting for the answer:
   * a refusal cancels {@code t} ({@link ExecutorTask#dropped}). False if the worker was gone already.
   */
  boolean arm(ExecutorTask<?> t, long delayNanos) {
    return delayNanos <= 0 ? worker.tell(Op.QUEUE, t, 0, 0)
        : worker.tell(Op.QUEUE_DELAYED, t, delayNanos, t.triggerTime()); // the timer expires at t's time
  }

  /** Takes a pending or armed instance of {@code t} off the worker, without waiting for the answer. */
  void disarm(ExecutorTask<?> t) {
    worker.tell(Op.CANCEL, t, 0, 0);
  }

  /** A delayed one-shot task of an owner: the worker is destroyed only once it has finished. */
  private boolean counted(ExecutorTask<?> t) {
    return owner != null && t.delayedOneShot();
  }

  private boolean trackedHere(ExecutorTask<?> t) {
    return owner == null || t.isPeriodic();
  }

  // ------------------------------------------------------------------ what tasks ask

  /** STPE's default policies: after shutdown one-shot tasks still run, periodic ones do not; after shutdownNow none. */
  boolean mayRun(ExecutorTask<?> t) {
    int s = state;
    return s == RUNNING || (s == SHUTDOWN && !t.isPeriodic());
  }

  /** A task's future has completed (normally, exceptionally or cancelled): it needs no more tracking. */
  void finished(ExecutorTask<?> t) {
    if (trackedHere(t)) {
      tracked.remove(t);
    }
    if (counted(t) && delayedLeft.decrementAndGet() == 0) {
      destroyWhenDone();
    }
  }

  /** shutdownNow of an owner hands back what the worker dropped: it is in the worker's report. */
  boolean handsBackDropped() {
    return owner != null && state == STOP;
  }

  // ------------------------------------------------------------------ shutting down

  @Override
  public void shutdown() {
    if (!advance(SHUTDOWN)) {
      return;
    }
    cancelPeriodic();
    destroyWhenDone();
  }

  /**
   * {@inheritDoc}
   *
   * <p>The tasks returned are those that had not started: neither done nor cancelled, as STPE leaves
   * them, for the caller to run or cancel. An owner takes them from the report of
   * {@code worker.destroy(Duration.ZERO)}; a view cancels each of its tasks on the worker and keeps those
   * that had not started. Waits for the worker's answer, which does not wait for the task running now
   * (that one is interrupted).
   */
  @Override
  public List<Runnable> shutdownNow() {
    advance(STOP);
    List<Runnable> notStarted = new ArrayList<>();
    if (owner != null) {
      CompletableFuture<DestroyReport> report = new CompletableFuture<>();
      askOwner(() -> worker.destroy(Duration.ZERO).whenComplete((r, e) -> report.complete(r)));
      DestroyReport r = joinUninterruptibly(report);
      if (r != null) {
        r.stillRunning().forEach(w -> ifMine(w, ExecutorTask::interruptRunner));
        r.discarded().forEach(w -> ifMine(w, notStarted::add));
        r.disarmed().forEach(w -> ifMine(w, notStarted::add));
      }
    } else {
      List<ExecutorTask<?>> mine = new ArrayList<>(tracked);
      List<CompletableFuture<Boolean>> removed = new ArrayList<>(mine.size());
      for (ExecutorTask<?> t : mine) {
        removed.add(worker.cancel(t).toCompletableFuture());
      }
      for (int i = 0; i < mine.size(); i++) {
        if (Boolean.TRUE.equals(joinUninterruptibly(removed.get(i)))) {
          notStarted.add(mine.get(i));
        }
      }
      mine.forEach(ExecutorTask::interruptRunner); // after: the lane would go on to the next task
    }
    notStarted.removeIf(t -> ((ExecutorTask<?>) t).isDone());
    return notStarted;
  }

  /** Applies {@code action} to {@code w} if it is a task of this executor. */
  private void ifMine(Work w, java.util.function.Consumer<? super ExecutorTask<?>> action) {
    if (w instanceof ExecutorTask<?> t && t.executor == this) {
      action.accept(t);
    }
  }

  /** The value, or null if the stage failed; an interrupt meanwhile is kept for the caller. */
  private static <T> T joinUninterruptibly(CompletableFuture<T> f) {
    boolean interrupted = false;
    try {
      for (;;) {
        try {
          return f.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          return null;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean advance(int to) {
    for (;;) {
      int s = state;
      if (s >= to) {
        return false;
      }
      if (STATE.compareAndSet(this, s, to)) {
        return true;
      }
    }
  }

  /** At shutdown, as STPE: the periodic tasks waiting for their next run; a running one ends with its run. */
  private void cancelPeriodic() {
    for (ExecutorTask<?> t : tracked) {
      if (t.isPeriodic() && !t.running()) {
        t.cancel(false);
      }
    }
  }

  /** An owner, shut down, with no delayed one-shot task left: destroys the worker (what is queued runs first). */
  private void destroyWhenDone() {
    if (owner != null && state != RUNNING && delayedLeft.get() == 0 && destroyAsked.compareAndSet(false, true)) {
      askOwner(worker::destroy);
    }
  }

  private void askOwner(Runnable call) {
    try {
      owner.execute(call);
    } catch (RejectedExecutionException e) {
      call.run(); // the actor system is going away, and the worker with it
    }
  }

  @Override
  public boolean isShutdown() {
    return state != RUNNING || terminated.isDone();
  }

  @Override
  public boolean isTerminated() {
    return terminated.isDone();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    Objects.requireNonNull(unit, "unit");
    try {
      terminated.get(timeout, unit);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e); // never: the stage only completes normally
    }
  }

  @Override
  public String toString() {
    String s = isTerminated() ? "terminated" : state == RUNNING && !isShutdown() ? "running" : "shut down";
    return "KWorkerExecutor[" + worker.name() + ", " + s + "]";
  }

  private static final java.lang.invoke.VarHandle STATE;

  static {
    try {
      STATE = java.lang.invoke.MethodHandles.lookup().findVarHandle(KWorkerExecutor.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}

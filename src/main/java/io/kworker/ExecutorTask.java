package io.kworker;

import io.kworker.internal.KthreadWork;
import io.kworker.internal.Op;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One submission to a {@link KWorkerExecutor}: at once the future its caller holds and the delayed work
 * its worker runs, so that each submission is a work of its own.
 *
 * <p>{@link #state} settles the outcome, as FutureTask's: the first to move it out of NEW decides (the
 * end of a run, or a cancel); a thread that must wait for it waits on a {@link CompletableFuture} made
 * only then ({@link #waiting}). A run claims {@link #runner} first (one run at a time, whoever calls
 * {@link #run}); an interrupt aimed at a run lands before that run returns ({@link #interruptRunner}),
 * so it never reaches the work the worker runs next. A periodic task re-arms itself at the end of each
 * run, before the run counts as over.
 */
final class ExecutorTask<V> extends KthreadWork implements DelayedWork, KWorkerFuture<V> {
  private static final VarHandle STATE;
  private static final VarHandle RUNNER;
  private static final VarHandle INTERRUPTERS;
  private static final VarHandle WAITING;
  private static final VarHandle RUN_END;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(ExecutorTask.class, "state", int.class);
      RUNNER = lookup.findVarHandle(ExecutorTask.class, "runner", Thread.class);
      WAITING = lookup.findVarHandle(ExecutorTask.class, "waiting", CompletableFuture.class);
      INTERRUPTERS = lookup.findVarHandle(ExecutorTask.class, "interrupters", int.class);
      RUN_END = lookup.findVarHandle(ExecutorTask.class, "runEnd", CompletableFuture.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** {@link #time} of a task due when it was submitted: its delay is zero, without a clock read. */
  static final long NOW = Long.MIN_VALUE;

  /** Not finished: pending, running, or (periodic) between runs. */
  private static final int NEW = 0;
  /** The outcome is being set. */
  private static final int COMPLETING = 1;
  private static final int NORMAL = 2;
  private static final int EXCEPTIONAL = 3;
  private static final int CANCELLED = 4;

  final KWorkerExecutor executor;
  /** A {@link Callable} or a {@link Runnable}; null once finished, so that it is not kept. */
  private Object task;
  /** What a Runnable's future gives. */
  private final V result;
  private volatile int state;
  /** The result, or the exception the task threw: written before {@link #state}, read after. */
  private Object outcome;
  /** Made by the first get() that has to wait; completed when the task finishes. */
  private volatile CompletableFuture<Void> waiting;
  private volatile Thread runner;
  private volatile int interrupters;
  /** Set by a cancelSync that waits for the run in progress; completed when that run returns. */
  private volatile CompletableFuture<Void> runEnd;
  /**
   * When it is due (System.nanoTime), or {@link #NOW}; moved on by each run of a periodic task (others
   * may read an older value, as STPE's).
   */
  private long time;
  /** 0 for a one-shot task; the period in nanoseconds at a fixed rate; minus the delay at a fixed delay. */
  private final long period;

  /**
   * A task is named after its class, without the package (a lambda's without the number that changes from
   * run to run): {@code Poller}, {@code Main$$Lambda}.
   */
  private static final ClassValue<String> NAMES = new ClassValue<>() {
    @Override
    protected String computeValue(Class<?> type) {
      String name = type.getName();
      int lambda = name.indexOf("$$Lambda");
      name = lambda < 0 ? name : name.substring(0, lambda + "$$Lambda".length());
      return name.substring(name.lastIndexOf('.') + 1);
    }
  };

  ExecutorTask(KWorkerExecutor executor, Object task, V result, long time, long period) {
    super(NAMES.get(task.getClass()));
    this.executor = executor;
    this.task = task;
    this.result = result;
    this.time = time;
    this.period = period;
  }

  // ------------------------------------------------------------------ running

  /**
   * Runs the task, on the worker's thread (or on whichever thread calls it, as a FutureTask does). A
   * periodic task re-arms itself before the run counts as over, so that a cancel that comes during the
   * run either stops the re-arm or takes the new instance out.
   */
  @Override
  public void run() {
    Object t = task;
    if (t == null || state != NEW || !RUNNER.compareAndSet(this, null, Thread.currentThread())) {
      return;
    }
    try {
      if (state != NEW) {
        return; // cancelled between the look and the claim
      }
      if (!executor.mayRun(this)) {
        cancel(false);
      } else if (period == 0) {
        complete(t);
      } else if (runAndReset(t)) {
        rearm();
      }
    } finally {
      runner = null;
      while (interrupters != 0) {
        Thread.onSpinWait(); // an interrupt aimed at this run lands before it returns
      }
      CompletableFuture<Void> end = runEnd;
      if (end != null) {
        end.complete(null);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private V call(Object t) throws Exception {
    if (t instanceof Callable<?> c) {
      return (V) c.call();
    }
    ((Runnable) t).run();
    return result;
  }

  private void complete(Object t) {
    Object value;
    int to = NORMAL;
    try {
      value = call(t);
    } catch (Throwable e) {
      value = e;
      to = EXCEPTIONAL;
    }
    settle(to, value);
  }

  /** A periodic run: true if the task goes on (it did not throw, and nobody cancelled it). */
  private boolean runAndReset(Object t) {
    try {
      call(t);
    } catch (Throwable e) {
      settle(EXCEPTIONAL, e);
      return false;
    }
    return state == NEW;
  }

  /** The end of a run decides, unless a cancel did first. */
  private void settle(int to, Object value) {
    if (STATE.compareAndSet(this, NEW, COMPLETING)) {
      outcome = value;
      state = to;
      finish();
    }
  }

  /**
   * The next run of a periodic task: at a fixed rate one period after the last trigger time (at once,
   * behind what is queued, if that is past: catch-up), at a fixed delay one delay from now.
   */
  private void rearm() {
    if (!executor.mayRun(this)) {
      cancel(false); // shut down since the run began
      return;
    }
    long now = System.nanoTime();
    long next = period > 0 ? plus(time, period) : plus(now, -period);
    time = next;
    executor.arm(this, next - now);
    // a cancel or a shutdown that came meanwhile, while this run held the task, missed the new instance
    if (!executor.mayRun(this)) {
      cancel(false);
    }
    if (state != NEW) {
      executor.disarm(this);
    }
  }

  /** {@code t + d} for {@code d >= 0}, at most Long.MAX_VALUE. */
  static long plus(long t, long d) {
    long r = t + d;
    return r < t ? Long.MAX_VALUE : r;
  }

  // ------------------------------------------------------------------ cancelling

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    if (!STATE.compareAndSet(this, NEW, CANCELLED)) {
      return false;
    }
    if (mayInterruptIfRunning) {
      interruptRunner();
    }
    finish();
    if (runner == null) {
      executor.disarm(this); // takes the pending or armed instance out, so that nothing keeps it
    }
    return true;
  }

  @Override
  public CompletionStage<Boolean> cancelSync() {
    return cancelSync(KWorker.FOREVER);
  }

  /**
   * Not running: the worker's cancelSync takes out what is pending and waits for a run that starts
   * meanwhile. Running: once cancelled, the run arms no next one, so the stage waits for the run itself,
   * as {@code Future.get} would, without a round trip through the worker actor; the worker's timer
   * interrupts it after a grace that is neither zero nor never.
   */
  @Override
  public CompletionStage<Boolean> cancelSync(Duration grace) {
    long nanos = Op.CANCEL_SYNC.nanos(grace); // the worker's checks, before anything changes
    Thread running = runner;
    if (running == Thread.currentThread()) {
      return CompletableFuture.failedStage(new IllegalStateException("cancelSync of task [" + logName()
          + "] was called from inside its own run on worker [" + executor.worker().name()
          + "]; it could only complete after that run returns, so it would wait for itself"));
    }
    boolean cancelled = abandon();
    if (running == null) {
      return executor.worker().cancelSync(this, grace).thenApply(removed -> cancelled);
    }
    CompletableFuture<Void> end = runEnd();
    if (nanos == 0) {
      interruptRunner();
    } else if (nanos != Long.MAX_VALUE) { // MAX_VALUE: never
      executor.worker().cancelSync(this, grace);
    }
    return end.thenApply(v -> cancelled);
  }

  /** Completes when the run in progress (if any) has returned: Dekker with the end of {@link #run}. */
  private CompletableFuture<Void> runEnd() {
    CompletableFuture<Void> end = runEnd;
    if (end == null && !RUN_END.compareAndSet(this, null, end = new CompletableFuture<>())) {
      end = runEnd;
    }
    if (runner == null) {
      end.complete(null);
    }
    return end;
  }

  /** Cancels without a word to the worker; true iff this call cancelled it. */
  boolean abandon() {
    if (!STATE.compareAndSet(this, NEW, CANCELLED)) {
      return false;
    }
    finish();
    return true;
  }

  /** Interrupts the run in progress, if any; the run waits for the interrupt before it returns. */
  void interruptRunner() {
    INTERRUPTERS.getAndAdd(this, 1);
    try {
      Thread t = runner;
      if (t != null) {
        t.interrupt();
      }
    } finally {
      INTERRUPTERS.getAndAdd(this, -1);
    }
  }

  /**
   * The worker will not run it (see {@link KthreadWork#dropped}): cancelled, unless the executor's
   * shutdownNow hands it back to its caller, who gets it from the worker's report.
   */
  @Override
  protected void dropped(boolean accepted) {
    if (!accepted || !executor.handsBackDropped()) {
      abandon();
    }
  }

  /** Once, by whoever moved {@link #state} out of NEW: wakes those waiting, after the state (Dekker). */
  private void finish() {
    task = null;
    CompletableFuture<Void> w = waiting;
    if (w != null) {
      w.complete(null);
    }
    executor.finished(this);
  }

  // ------------------------------------------------------------------ Future

  @Override
  public boolean isCancelled() {
    return state == CANCELLED;
  }

  @Override
  public boolean isDone() {
    return state != NEW;
  }

  @Override
  public V get() throws InterruptedException, ExecutionException {
    int s = state;
    return outcome(s <= COMPLETING ? await(false, 0L) : s);
  }

  @Override
  public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
    long nanos = unit.toNanos(timeout);
    int s = state;
    if (s <= COMPLETING && (s = await(true, nanos)) <= COMPLETING) {
      throw new TimeoutException("task [" + logName() + "] of executor [" + executor.worker().name()
          + "] not done within " + timeout + " " + unit);
    }
    return outcome(s);
  }

  /** Waits until finished (or timed out): the state then. */
  private int await(boolean timed, long nanos) throws InterruptedException {
    CompletableFuture<Void> w = waiting;
    if (w == null && !WAITING.compareAndSet(this, null, w = new CompletableFuture<>())) {
      w = waiting;
    }
    if (state == NEW) { // else finish() may have looked for a waiter before there was one
      try {
        if (timed) {
          w.get(nanos, TimeUnit.NANOSECONDS);
        } else {
          w.get();
        }
      } catch (TimeoutException e) {
        return state;
      } catch (ExecutionException e) {
        throw new IllegalStateException(e); // never: it only completes normally
      }
    }
    int s;
    while ((s = state) == COMPLETING) {
      Thread.yield(); // the outcome is a store away
    }
    return s;
  }

  @SuppressWarnings("unchecked")
  private V outcome(int s) throws ExecutionException {
    if (s == NORMAL) {
      return (V) outcome;
    }
    if (s == CANCELLED) { // a new one each time, with the caller's stack trace, as FutureTask's
      throw new CancellationException("task [" + logName() + "] of executor [" + executor.worker().name()
          + "] was cancelled");
    }
    throw new ExecutionException((Throwable) outcome);
  }

  @Override
  public boolean isPeriodic() {
    return period != 0;
  }

  /** When it is due (System.nanoTime), or {@link #NOW}. */
  long triggerTime() {
    return time;
  }

  /** True while a run is in progress. */
  boolean running() {
    return runner != null;
  }

  /** A one-shot task submitted with a delay. */
  boolean delayedOneShot() {
    return period == 0 && time != NOW;
  }

  @Override
  public long getDelay(TimeUnit unit) {
    long t = time;
    return t == NOW ? 0 : unit.convert(t - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  @Override
  public int compareTo(Delayed other) {
    if (other == this) {
      return 0;
    }
    long d = other instanceof ExecutorTask<?> o && time != NOW && o.time != NOW ? time - o.time
        : getDelay(TimeUnit.NANOSECONDS) - other.getDelay(TimeUnit.NANOSECONDS);
    return Long.signum(d);
  }

  // ------------------------------------------------------------------ Work

  @Override
  public Optional<KWorker> worker() {
    return KWorker.boundTo(this);
  }

  @Override
  public String toString() {
    int s = state;
    String how = s == NEW ? (runner != null ? "running" : "not completed")
        : s == CANCELLED ? "cancelled" : s == EXCEPTIONAL ? "failed" : "completed";
    return "task [" + logName() + "] of executor [" + executor.worker().name() + "], " + how;
  }
}

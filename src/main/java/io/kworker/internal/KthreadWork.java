package io.kworker.internal;

import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's {@code struct kthread_work}: a name and a function, the worker the work is bound to
 * ({@code work->worker}), and the per-work state that the worker's actor keeps ({@code work->node},
 * {@code work->canceling}, and the workqueue's disable count).
 *
 * <p>INTERNAL API. The public {@code Work} and {@code DelayedWork} implementations extend it.
 *
 * <p>The fields below {@code bound} are <em>actor-confined</em>: only the actor of the worker the work is
 * bound to reads or writes them, so they need no synchronisation (they play the part of the kernel's
 * {@code work->node} and {@code work->canceling}, which are guarded by {@code worker->lock}). A work
 * passes to another worker only after its old worker has closed; the volatile {@link WorkerHandle#closed}
 * write and the {@code bound} compare-and-set order the two actors' accesses.
 */
public abstract class KthreadWork {
  private static final Logger LOG = LoggerFactory.getLogger(io.kworker.KWorker.class);
  private static final java.lang.invoke.VarHandle BOUND;

  static {
    try {
      BOUND = java.lang.invoke.MethodHandles.lookup()
          .findVarHandle(KthreadWork.class, "bound", WorkerHandle.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;
  /**
   * The name as it goes into logs and messages (see {@link Names}), the same string if it is clean;
   * made on first use (most works are never named in a log line), by whichever thread: racy but
   * idempotent, as String's hash.
   */
  private String logName;
  private volatile WorkerHandle bound;

  /** The newest instance handed to the lane; it may be queued, running, finished or revoked. */
  Ticket last;
  /** The instance before {@link #last} that may still be running while {@code last} waits behind it. */
  Ticket older;
  /** The armed timer, or null. Its identity is the token that fences stale expiries. */
  Timer timer;
  /** Number of cancels (and disableSyncs) waiting for the running instance; queueing is refused while > 0. */
  int canceling;
  /** The workqueue's disable count; queueing is refused while > 0. */
  int disabled;

  protected KthreadWork(String name) {
    this.name = Objects.requireNonNull(name, "work name");
  }

  /** Runs the work's function once, on the lane's thread; the lane logs what it throws. */
  protected abstract void run() throws Exception;

  /**
   * The worker will not run an instance of this work, on its own account rather than on a cancel or
   * disable of this work: destroy cancelled its timer or (past its deadline) discarded its queued
   * instance, the worker actor stopped with it armed or queued, a drain dropped its expiry, or a queueing
   * of it was refused because the worker is being destroyed or is gone, or drains (from outside its works). Called once per instance, on the
   * worker actor's thread or on the refused caller's; it must be quick. Does nothing by default.
   *
   * @param accepted true for an instance the worker had armed or queued; false for a refused queueing
   */
  protected void dropped(boolean accepted) {}

  /** Calls {@link #dropped}: what it throws is logged, never passed on to the worker. */
  final void notifyDropped(boolean accepted, String workerName) {
    try {
      dropped(accepted);
    } catch (RuntimeException | Error e) {
      LOG.error("Work [{}] failed when worker [{}] dropped it", logName(), workerName, e);
    }
  }

  public final String name() {
    return name;
  }

  /** The name with control characters escaped, for log lines, the MDC and error messages. */
  public final String logName() {
    String l = logName;
    if (l == null) {
      logName = l = Names.safe(name);
    }
    return l;
  }

  /** The worker this work was last queued on, or null if it was never queued. */
  public final WorkerHandle boundHandle() {
    return bound;
  }

  /** Binds an unbound work, or one whose worker has closed; false if another live worker holds it. */
  final boolean bindTo(WorkerHandle handle) {
    for (;;) {
      WorkerHandle current = bound;
      if (current == handle) {
        return true;
      }
      if (current != null && !current.isClosed()) {
        return false;
      }
      if (BOUND.compareAndSet(this, current, handle)) {
        // A new worker starts from the kernel's freshly initialised work.
        last = older = null;
        timer = null;
        canceling = disabled = 0;
        return true;
      }
    }
  }

  /** True while the work runs on some lane and that lane's caller asked it to stop. */
  public final boolean cancelRequested() {
    WorkerHandle h = bound;
    Ticket running = h == null ? null : h.runningOnCallerThread(this);
    return running != null && running.cancelRequested();
  }

  @Override
  public String toString() {
    return name;
  }
}

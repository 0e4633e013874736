package io.kworker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.MDC;

/**
 * The worker's execution thread: the kthread that runs works, one at a time, in the order the actor
 * handed them over.
 *
 * <p>INTERNAL API.
 *
 * <p>A single-producer, single-consumer linked queue of {@link Ticket}s (the kernel's
 * {@code work_list}): the worker actor appends, and a drain loop on the executor takes from the head.
 * The drain runs on a dedicated thread (the default) or on a shared dispatcher, where it yields the
 * thread after {@code batch} works. At most one drain runs at a time ({@link #scheduled}), so works of
 * one worker never overlap and run in FIFO order. The lane touches no worker state but the tickets, and
 * it reports back only for the instances that the actor watches.
 */
final class Lane implements Runnable {
  private static final VarHandle SCHEDULED;
  private static final VarHandle HEAD;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      SCHEDULED = lookup.findVarHandle(Lane.class, "scheduled", int.class);
      HEAD = lookup.findVarHandle(Lane.class, "head", Ticket.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final WorkerHandle handle;
  private final Executor executor;
  private final int batch;
  private final WorkerStats stats;
  private final boolean timings;
  private final boolean mdc;
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  /** Actor side: the last ticket appended. */
  private Ticket tail;
  /** Drain side: the last ticket taken (initially a stub); published for {@link #unfinished}. */
  private Ticket head;
  /** Drain side: the instance running now, or null. Read by others only on the runner's own thread. */
  private Ticket current;
  /** The thread of the drain in progress, or of the last one. */
  private volatile Thread runner;
  /** 1 while a drain is submitted or running. */
  private volatile int scheduled;
  private volatile boolean closed;

  Lane(WorkerHandle handle, Executor executor, int batch) {
    this.handle = handle;
    this.executor = executor;
    this.batch = batch;
    this.stats = handle.stats();
    this.timings = stats.timings;
    this.mdc = handle.instrumentation.mdc();
    this.head = this.tail = new Ticket(null, Ticket.FINISHED);
  }

  /** Completes once the lane has closed and returned from its last work. */
  CompletableFuture<Void> stopped() {
    return stopped;
  }

  /** Actor: appends an instance (or a barrier) at the tail. */
  void push(Ticket t) {
    tail.setNext(t);
    tail = t;
    if (scheduled == 0 && SCHEDULED.compareAndSet(this, 0, 1)) {
      submit();
    }
  }

  private void submit() {
    try {
      executor.execute(this);
    } catch (RejectedExecutionException e) {
      // the dispatcher is shutting down with the actor system; the actor's PostStop answers everyone
      closed = true;
      stopped.complete(null);
    }
  }

  /** Actor: stops taking tickets after the one running now, and lets a dedicated thread end. */
  void close() {
    closed = true;
    if (SCHEDULED.compareAndSet(this, 0, 1)) {
      stopped.complete(null); // no drain in progress; one that is will complete it on its way out
    }
    if (executor instanceof DedicatedThread thread) {
      thread.shutdown();
    }
  }

  /** Actor: interrupts the lane's thread if {@code t} is still running, never a later instance. */
  void interrupt(Ticket t) {
    t.interruptWhileRunning(runner);
  }

  /**
   * Actor: the tickets from the one taken last up to {@code end} (or the tail), oldest first. Racy but
   * safe: the lane may move on meanwhile; a ticket it has passed restarts the walk from its head.
   */
  void unfinished(Ticket end, Collection<Ticket> into) {
    Ticket t = (Ticket) HEAD.getAcquire(this);
    while (t != null) {
      into.add(t);
      if (t == end) {
        return;
      }
      Ticket n = t.next();
      t = n == t ? (Ticket) HEAD.getAcquire(this) : n;
    }
  }

  @Override
  public void run() {
    runner = Thread.currentThread();
    // MDC: the worker's name once per drain, the work's name per work (one map put), both cleared
    // (or the outer values restored) when the drain hands the thread back.
    String outerWorker = null;
    String outerWork = null;
    if (mdc) {
      outerWorker = MDC.get(Instrumentation.MDC_WORKER);
      outerWork = MDC.get(Instrumentation.MDC_WORK);
      MDC.put(Instrumentation.MDC_WORKER, handle.name());
    }
    try {
      drain();
    } finally {
      if (mdc) {
        restore(Instrumentation.MDC_WORKER, outerWorker);
        restore(Instrumentation.MDC_WORK, outerWork);
      }
    }
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  private void drain() {
    int ran = 0;
    for (;;) {
      if (closed) {
        stopped.complete(null);
        return;
      }
      Ticket t = head.next();
      if (t == null) {
        scheduled = 0;
        if (closed) { // close() raced with us: whoever wins `scheduled` completes `stopped`
          if (SCHEDULED.compareAndSet(this, 0, 1)) {
            stopped.complete(null);
          }
          return;
        }
        // Dekker with push(): recheck after publishing idleness, so no append is left unserved.
        if (head.next() == null || !SCHEDULED.compareAndSet(this, 0, 1)) {
          return;
        }
        continue;
      }
      Ticket past = head;
      HEAD.setRelease(this, t);
      past.unlink();
      runOne(t);
      if (++ran == batch) {
        submit(); // yield a shared thread; `scheduled` stays 1
        return;
      }
    }
  }

  private void runOne(Ticket t) {
    if (!t.claim()) {
      if (t.isWatched()) {
        handle.report(t); // a revoked instance still marks a flush barrier's place
      }
      return;
    }
    WorkCore work = t.work;
    if (work != null) {
      current = t;
      if (mdc) {
        MDC.put(Instrumentation.MDC_WORK, work.name());
      }
      long start = timings ? System.nanoTime() : 0;
      try {
        work.run();
      } catch (Throwable e) {
        stats.failed();
        try {
          handle.workFailed(work, e);
        } catch (Throwable logging) {
          // even a throwable that cannot be logged must not end the lane
        }
      } finally {
        current = null;
        if (timings) {
          stats.ran(start - t.queuedAt, System.nanoTime() - start);
        } else {
          stats.ran();
        }
      }
    }
    boolean watched = t.finish();
    Thread.interrupted(); // an interrupt aimed at this run must not reach the next one
    if (watched) {
      handle.report(t);
    }
  }

  /**
   * The instance running on the calling thread, if that thread is this lane's, else null. No thread
   * local: only the runner itself can see itself as the runner, and it reads its own writes of
   * {@link #current}.
   */
  Ticket runningOnCallerThread() {
    return runner == Thread.currentThread() ? current : null;
  }
}

package io.kworker.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * The kthread of a worker with a thread of its own: it runs the lane's batch each time the lane asks,
 * and parks in between.
 *
 * <p>INTERNAL API. Cheaper than a single-thread {@code ThreadPoolExecutor} on the lane's hot path: a
 * wake-up is one unpark, with no lock and no queue node. The lane submits only when it wins its own
 * {@code scheduled} flag, so at most one batch is ever outstanding; {@link #pending} carries it, and
 * LockSupport's permit covers an unpark that comes before the park.
 */
final class DedicatedThread implements Executor {
  private final Kthread thread;
  private volatile Runnable pending;
  private volatile boolean shutdown;
  private volatile boolean started;
  /** Completed as the thread's last act (or at shutdown, if it never started). */
  private final CompletableFuture<Void> ended = new CompletableFuture<>();

  DedicatedThread(String name) {
    thread = new Kthread(this::loop, name);
    thread.setDaemon(true); // a work that never returns must not keep the JVM alive
  }

  /** A worker's own thread: it knows its lane without a thread local. */
  static final class Kthread extends Thread {
    /** The lane whose batch runs here; written and read only by this thread. */
    Lane lane;

    Kthread(Runnable body, String name) {
      super(body, name);
    }
  }

  @Override
  public void execute(Runnable batch) {
    if (shutdown) {
      throw new RejectedExecutionException("thread [" + thread.getName() + "] has ended");
    }
    pending = batch;
    if (!started) {
      synchronized (this) {
        if (!started) {
          if (shutdown) {
            throw new RejectedExecutionException("thread [" + thread.getName() + "] has ended");
          }
          thread.start();
          started = true;
          return;
        }
      }
    }
    LockSupport.unpark(thread);
  }

  /** Ends the thread once the batch in progress, if any, has returned. */
  void shutdown() {
    synchronized (this) {
      shutdown = true;
      if (!started) {
        ended.complete(null);
        return;
      }
    }
    LockSupport.unpark(thread);
  }

  /** Completes once the thread runs nothing more: it exits right after. */
  CompletableFuture<Void> ended() {
    return ended;
  }

  private void loop() {
    for (;;) {
      Runnable batch = pending;
      if (batch != null) {
        pending = null;
        try {
          batch.run();
        } catch (Throwable e) {
          // the lane catches its own failures; nothing may end this thread while its worker lives
        }
      } else if (shutdown) {
        ended.complete(null);
        return;
      } else {
        LockSupport.park(this);
      }
    }
  }
}

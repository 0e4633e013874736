package io.kworker.testing;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds the runs of a work in place, any number of them. Each run calls {@link #pass()} from the work's
 * function: that reports the run as entered and holds it until the test lets it through. A work that runs
 * once is the common case: {@link #awaitEntered()}, look at the worker, then {@link #open()}. To hold
 * several runs, await each one's entry and let them go one by one with {@link #letOneThrough()}.
 *
 * <p>Every hold is bounded ({@value #HOLD_FACTOR} × {@link Await#LONG_SECONDS}), so a failed test leaves no
 * lane thread behind.
 */
public final class Gate {
  private static final int HOLD_FACTOR = 3;
  private static final int FOREVER = 1 << 30;

  private final Semaphore permits = new Semaphore(0);
  private final Semaphore entered = new Semaphore(0);
  private volatile boolean anyRunLeft;
  private volatile boolean interrupted;
  private final AtomicBoolean opened = new AtomicBoolean();

  /** Called by the work: reports the run as entered, then waits until the test lets it through. */
  public void pass() {
    entered.release();
    try {
      if (!permits.tryAcquire(HOLD_FACTOR * Await.LONG_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate never opened");
      }
    } catch (InterruptedException e) {
      interrupted = true;
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted at the gate", e);
    } finally {
      anyRunLeft = true;
    }
  }

  /** Called by the test: waits until one more run has entered (each run is awaited once). */
  public void awaitEntered() {
    try {
      if (!entered.tryAcquire(Await.LONG_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("no run entered the gate within " + Await.LONG_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Lets the run held at the gate (or the next one to come) through, and only that one. */
  public void letOneThrough() {
    permits.release();
  }

  /** Lets every run through, from now on: the held one and every later one. Opening twice is harmless. */
  public void open() {
    if (opened.compareAndSet(false, true)) {
      permits.release(FOREVER);
    }
  }

  /** True once a run held here was interrupted (its {@link #pass()} threw). */
  public boolean interrupted() {
    return interrupted;
  }

  /** True once a run has left the gate (let through, or given up waiting): the hold is over. */
  public boolean anyRunLeft() {
    return anyRunLeft;
  }
}

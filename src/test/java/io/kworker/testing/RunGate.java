package io.kworker.testing;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Holds runs of a work in place, any number of times: each run calls {@link #pass()}, which reports that it entered and
 * blocks until the test lets exactly one run through with {@link #open()}.
 */
public final class RunGate {
  private final Semaphore permits = new Semaphore(0);
  private final Semaphore entered = new Semaphore(0);

  /** Called by the work: reports entry, then waits (bounded, so a failed test leaves no thread behind). */
  public void pass() {
    entered.release();
    try {
      if (!permits.tryAcquire(Await.LONG_SECONDS * 3, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted at the gate", e);
    }
  }

  /** Called by the test: waits until a run has entered. */
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

  /** Lets one run through. */
  public void open() {
    permits.release();
  }

  /** Lets every run through from now on. */
  public void openForever() {
    permits.release(1 << 20);
  }
}

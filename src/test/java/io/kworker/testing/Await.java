package io.kworker.testing;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits for tests: generous, so a loaded 2-core machine never flakes, and never a sleep. */
public final class Await {
  /** Upper bound for anything that should happen "soon"; scaled by -Dkworker.test.timeFactor. */
  public static final long LONG_SECONDS =
      (long) (20 * Double.parseDouble(System.getProperty("kworker.test.timeFactor", "1")));

  private Await() {}

  public static <T> T result(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(LONG_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("stage did not complete within " + LONG_SECONDS + " s");
    }
  }

  /** The exception the stage failed with (unwrapped); fails if it completed normally. */
  public static Throwable failure(CompletionStage<?> stage) {
    try {
      Object v = stage.toCompletableFuture().get(LONG_SECONDS, TimeUnit.SECONDS);
      throw new AssertionError("stage completed with " + v + " instead of failing");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("stage did not complete within " + LONG_SECONDS + " s");
    }
  }

  public static void await(CountDownLatch latch) {
    try {
      if (!latch.await(LONG_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("latch not released within " + LONG_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Waits until the condition holds, polling (for states only observable from outside). */
  public static void until(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LONG_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + LONG_SECONDS + " s: " + what);
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}

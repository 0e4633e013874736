package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.WorkerTestKit;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fixed in 8080a87: a work whose exception could not be logged (here a getMessage() that throws;
 * likewise an OutOfMemoryError while formatting) killed the lane. The lane reported a failed run by
 * logging from inside its catch block and finished the instance only after the try, so the second
 * exception escaped: the instance stayed running for ever and the lane's loop was gone; no later work ran,
 * and flush, cancelSync and destroy never completed. Found by the independent review. Guards that such a
 * run counts as finished for every waiter and that the worker goes on.
 */
class FailingWorkTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  @Test
  void aWorkWhoseExceptionCannotBeLoggedDoesNotKillTheLane() throws Exception {
    KWorker worker = kit.newWorker("rv-bad-exception");
    Work bad = Work.of("bad", () -> {
      throw new RuntimeException() {
        @Override
        public String getMessage() {
          throw new IllegalStateException("message unavailable");
        }
      };
    });
    AtomicInteger after = new AtomicInteger();
    result(worker.queue(bad));
    result(worker.queue(Work.of("after", () -> after.incrementAndGet())));
    try {
      worker.flush().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      fail("flush() did not complete within 10 s after a work threw an exception that cannot be logged; "
          + "state of [bad]: " + result(worker.state(bad)));
    }
    assertEquals(1, after.get());
  }
}

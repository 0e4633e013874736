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
 * Review finding: Lane.runOne reports a failed run through handle.workFailed (a LOG.error) from inside
 * its catch block, with Ticket.finish() after the try. If logging the throwable itself throws (here a
 * getMessage() that throws; likewise an OutOfMemoryError while formatting), the exception escapes
 * runOne: the ticket stays RUNNING for ever, Lane.scheduled stays 1 and the drain loop is gone. No
 * later work runs; flush, cancelSync and destroy never complete ("the worker goes on; the run counts as
 * finished for every waiter").
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

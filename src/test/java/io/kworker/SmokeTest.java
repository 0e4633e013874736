package io.kworker;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.*;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SmokeTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void queueRunsAndDestroy() throws Exception {
    KWorker w = KWorker.create(testKit.system(), "smoke");
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch ran = new CountDownLatch(1);
    Work work = Work.of("a", x -> { runs.incrementAndGet(); ran.countDown(); });
    assertTrue(result(w.queue(work)));
    io.kworker.testing.Await.await(ran);
    result(w.flush());
    assertEquals(1, runs.get());
    result(w.destroy());
    Throwable t = io.kworker.testing.Await.failure(w.queue(work));
    assertTrue(t instanceof java.util.concurrent.RejectedExecutionException, t.toString());
    assertFalse(result(w.cancelSync(work)));
  }
}

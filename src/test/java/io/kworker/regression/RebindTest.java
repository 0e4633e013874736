package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.fail;

import akka.actor.typed.ActorRef;
import io.kworker.DelayedWork;
import io.kworker.KWorker;
import io.kworker.WorkState;
import io.kworker.WorkStatus;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.WorkerTestKit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Fixed in 2452dd0: a stopping worker could disarm the timer of a work that had moved on. PostStop marked
 * the worker closed first and only then walked its list of armed timers, which reads and writes each
 * work's actor-confined fields; once closed was visible another worker could bind the work and arm it, so
 * the old actor's loop cancelled the new worker's timer, unlinked it as its own and cleared the work's
 * timer. The new worker had answered queueDelayed true, but the work never ran and read IDLE, and the new
 * worker's armed list kept a stale head that made its destroy or stop loop for ever, logging a WARN per
 * turn. Found by the independent review. Guards that a work armed on a new worker right after its old
 * worker stopped stays armed there.
 *
 * <p>The test uses its own daemonic actor system: should the bug come back, the system is deliberately not
 * terminated, because stopping the new worker would spin for ever.
 */
class RebindTest {
  @RegisterExtension
  static final ExpectedLogs LOGS =
      ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY, ExpectedLogs.STOPPED_WITH_WORKS);

  @Test
  void aStoppedWorkerDoesNotTouchTheTimerOfAWorkThatMovedOn() throws Exception {
    WorkerTestKit tk = WorkerTestKit.withConfig("rv-rebind", "akka.daemonic = on");
    boolean poisoned = false;
    try {
      for (int attempt = 1; attempt <= 5; attempt++) {
        ActorRef<KWorker.Command> aRef = tk.spawn(KWorker.behavior("a" + attempt));
        KWorker a = result(KWorker.wrap(tk.system(), aRef));
        KWorker b = KWorker.create(tk.system(), "b" + attempt);
        DelayedWork moving = DelayedWork.of("moving", () -> {});
        // armed first, so it is the last one a's PostStop loop reaches (the list is LIFO)
        result(a.queueDelayed(moving, Duration.ofHours(1)));
        CompletionStage<Boolean> last = null;
        for (int i = 0; i < 2000; i++) {
          last = a.queueDelayed(DelayedWork.of("filler-" + i, () -> {}), Duration.ofHours(1));
        }
        result(last);
        CountDownLatch spinning = new CountDownLatch(1);
        AtomicBoolean boundOnB = new AtomicBoolean();
        Thread spinner = new Thread(() -> {
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Await.LONG_SECONDS);
          spinning.countDown();
          while (System.nanoTime() < deadline) {
            CompletableFuture<Boolean> f = b.queueDelayed(moving, Duration.ofHours(1)).toCompletableFuture();
            try {
              if (f.get(Await.LONG_SECONDS, TimeUnit.SECONDS)) {
                boundOnB.set(true);
                return;
              }
            } catch (ExecutionException e) {
              // bound to a, which is alive: refused; try again
            } catch (Exception e) {
              return;
            }
          }
        }, "rv-spinner");
        spinner.start();
        Await.await(spinning);
        tk.stop(aRef);
        spinner.join(TimeUnit.SECONDS.toMillis(Await.LONG_SECONDS));
        if (!boundOnB.get()) {
          fail("attempt " + attempt + ": the work never moved to b");
        }
        WorkStatus st = result(b.status(moving));
        if (st.state() != WorkState.ARMED) {
          poisoned = true;
          fail("attempt " + attempt + ": b.queueDelayed(moving, 1h) gave true after a stopped, but the "
              + "stopping worker a then disarmed b's timer: state on b is " + st.state() + ", not ARMED; "
              + "b's armed list keeps a stale head, so b's destroy/stop would loop forever");
        }
        result(b.destroy());
      }
    } finally {
      if (!poisoned) {
        tk.terminate();
      } else {
        System.out.println("RebindTest: leaving daemonic system rv-rebind running (stopping b would spin)");
      }
    }
  }
}

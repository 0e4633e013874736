package io.kworker.executor;

import static io.kworker.testing.Await.result;

import io.kworker.KWorkerExecutor;
import io.kworker.KWorkerFuture;
import io.kworker.Work;
import io.kworker.WorkState;
import io.kworker.WorkStatus;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** What the executor tests share: a worker held busy, a periodic task held in its run, a task as its worker sees it. */
final class Tasks {
  private Tasks() {}

  /** A task held at the gate returned: the executor's worker is busy until the test opens it. */
  static Gate busy(KWorkerExecutor executor) {
    Gate gate = new Gate();
    executor.submit(gate::pass);
    gate.awaitEntered();
    return gate;
  }

  /** A task every millisecond, held at {@code gate} in its first run; {@code runs} counts its runs. */
  static KWorkerFuture<?> periodicHeld(KWorkerExecutor executor, Gate gate, AtomicInteger runs) {
    KWorkerFuture<?> f = executor.scheduleAtFixedRate(() -> {
      runs.incrementAndGet();
      gate.pass();
    }, 0, 1, TimeUnit.MILLISECONDS);
    gate.awaitEntered();
    return f;
  }

  /** A task's status on its worker: a KWorkerFuture is the work its worker runs. */
  static WorkStatus status(KWorkerExecutor executor, KWorkerFuture<?> f) {
    return result(executor.worker().status((Work) f));
  }

  static WorkState state(KWorkerExecutor executor, KWorkerFuture<?> f) {
    return status(executor, f).state();
  }

  /** The worker's thread, from inside a task. */
  static Thread workerThread(KWorkerExecutor executor) throws Exception {
    return executor.submit(Thread::currentThread).get(Await.LONG_SECONDS, TimeUnit.SECONDS);
  }
}

package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.testing.WorkerTestKit;
import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Fixed in 8080a87: the lane's single-producer list never unlinked the tickets it had consumed (no
 * {@code h.next = h} as in ConcurrentLinkedQueue or LinkedBlockingQueue), and every work kept its newest
 * tickets. So a work that ran once and was still referenced (a field holding a rarely queued work is the
 * normal case) kept, through the ticket links, every ticket pushed after it for the life of the worker, and
 * with them every work those tickets ran and everything those works captured: memory grew without bound
 * on a long-lived worker. Found by the independent review. Guards that a retained idle work pins none of
 * the works that ran after it.
 */
class RetentionTest {
  static final WorkerTestKit kit = WorkerTestKit.create();

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  @Test
  void aRetainedIdleWorkDoesNotPinEveryLaterWork() throws Exception {
    int n = 500;
    // control: nothing retained, the one-off works are collectable
    KWorker control = kit.newWorker("rv-retain-control");
    List<WeakReference<Work>> controlRefs = runOneOffs(control, n);
    int controlLeft = aliveAfterGc(controlRefs);
    assertEquals(0, controlLeft, "control: GC did not clear one-off works (environment problem)");

    KWorker worker = kit.newWorker("rv-retain");
    Work keep = Work.of("kept-idle", () -> {});
    result(worker.queue(keep));
    result(worker.flush());
    List<WeakReference<Work>> refs = runOneOffs(worker, n);
    int left = aliveAfterGc(refs);
    Reference.reachabilityFence(keep);
    assertEquals(0, left, left + " of " + n + " finished one-off works are still reachable, through the "
        + "ticket chain that starts at the idle work [kept-idle]'s last ticket");
  }

  private static List<WeakReference<Work>> runOneOffs(KWorker worker, int n) {
    List<WeakReference<Work>> refs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] payload = new byte[1024];
      Work w = Work.of("job-" + i, () -> payload[0]++);
      refs.add(new WeakReference<>(w));
      worker.queue(w);
    }
    result(worker.flush());
    // a few more, so that the lane's and the actor's own head/tail pointers moved past the jobs
    for (int i = 0; i < 3; i++) {
      result(worker.queue(Work.of("pad-" + i, () -> {})));
    }
    result(worker.flush());
    return refs;
  }

  private static int aliveAfterGc(List<WeakReference<Work>> refs) throws InterruptedException {
    int alive = refs.size();
    for (int attempt = 0; attempt < 20 && alive > 0; attempt++) {
      System.gc();
      Thread.onSpinWait();
      alive = (int) refs.stream().filter(r -> r.get() != null).count();
    }
    return alive;
  }
}

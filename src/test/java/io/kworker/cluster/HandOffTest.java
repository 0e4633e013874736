package io.kworker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import io.kworker.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hand-off fence, on four nodes: a node hosting a worker leaves gracefully (CoordinatedShutdown, as
 * on SIGTERM). Node 3 has the default deadline (7 s) and leaves while its run ends in time; node 2 has a
 * 2 s deadline and leaves under a run that ignores both the cooperative stop and the interrupt.
 */
class HandOffTest {
  @RegisterExtension
  static final ExpectedLogs LOGS =
      ExpectedLogs.of(ExpectedLogs.DEADLINE_MISSED, "leaving node", "leaves node");
  private static ClusterNodes nodes;
  private static final List<String> events = new CopyOnWriteArrayList<>();
  private static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private static final Gate gate = new Gate();
  private static final CountDownLatch release = new CountDownLatch(1);
  private static final AtomicBoolean sawStop = new AtomicBoolean();
  private static final AtomicBoolean sawInterrupt = new AtomicBoolean();

  @BeforeAll
  static void start() {
    nodes = ClusterNodes.start(4, i -> i == 2 ? "kworker.cluster.handoff { deadline = 2s, stop-grace = 1s }" : "",
        (i, w) -> {
          w.register("count", String.class, (ctx, p) -> {
            runs.computeIfAbsent(ctx.workId(), k -> new AtomicInteger()).incrementAndGet();
            events.add("run:" + ctx.workId() + "@" + i);
          });
          w.register("block", String.class, (ctx, p) -> {
            gate.pass();
            events.add("run:" + ctx.workId() + "@" + i);
          });
          w.register("stubborn", String.class, (ctx, p) -> {
            events.add("start:" + ctx.workId() + "@" + i);
            while (release.getCount() > 0) { // ignores the cooperative stop and the interrupt, but sees them
              sawStop.compareAndSet(false, ctx.cancelRequested());
              sawInterrupt.compareAndSet(false, Thread.interrupted());
              Thread.onSpinWait();
            }
          });
        });
  }

  @AfterAll
  static void stop() {
    release.countDown();
    gate.open();
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void aLeavingNodeRunsItsReadyWorksReportsItsArmedOnesAndTheWorkerAnswersFromItsNewHome() throws Exception {
    String name = nodes.nameOn(3, "leaver");
    ClusterWorker fromA = nodes.workers(0).worker(name);
    assertTrue(Await.result(fromA.queue(WorkSpec.of("b", "block", null))));
    gate.awaitEntered();
    for (String id : List.of("r1", "r2", "r3")) {
      assertTrue(Await.result(fromA.queue(WorkSpec.of(id, "count", null))));
    }
    for (String id : List.of("a1", "a2")) {
      assertTrue(Await.result(fromA.queueDelayed(WorkSpec.of(id, "count", null), Duration.ofHours(1))));
    }
    ClusterWorker fromB = nodes.workers(1).worker(name);
    CompletableFuture<Done> flush = fromB.flush("r3").toCompletableFuture();
    // calls from one node arrive in order: once this answers, the flush waits on the old home (one still on
    // its way when the hand-off begins is dropped by the sharding, and its caller gets a timeout)
    assertEquals(WorkState.PENDING, Await.result(fromB.state("r3")));
    try (LogCapture log = LogCapture.of("io.kworker.cluster.Worker")) {
      CompletableFuture<Void> leaving = CompletableFuture.runAsync(() -> nodes.leave(3));
      String lost = log.await("armed work(s) are lost");
      assertTrue(lost.contains("[" + name + "]") && lost.contains("[a1, a2]") && lost.contains(nodes.address(3)), lost);
      gate.open(); // the running work ends well before the deadline
      leaving.get(ClusterNodes.LEAVE_SECONDS, TimeUnit.SECONDS);
      assertTrue(log.messages("still runs").isEmpty(), log.messages("").toString());
    }
    assertEquals(Done.getInstance(), Await.result(flush));
    List<String> onOldHome = events.stream().filter(e -> e.endsWith("@3")).toList();
    assertEquals(List.of("run:b@3", "run:r1@3", "run:r2@3", "run:r3@3"), onOldHome);
    // the worker answers from its new home, fresh: the armed works are gone, each work ran once
    int newHome = nodes.host(name);
    assertNotEquals(3, newHome);
    assertEquals(WorkState.IDLE, Await.result(fromA.state("a1")));
    assertTrue(Await.result(fromA.queue(WorkSpec.of("after", "count", null))));
    Await.result(fromA.flush("after"));
    assertTrue(events.contains("run:after@" + newHome), events.toString());
    for (String id : List.of("r1", "r2", "r3", "after")) {
      assertEquals(1, runs.get(id).get(), id);
    }
    assertFalse(runs.containsKey("a1") || runs.containsKey("a2"));
  }

  @Test
  void aWaiterWhoseWorkerLeavesUnderARunStillAliveGetsAnErrorNeverASuccess() {
    String name = nodes.nameOn(2, "zombie");
    ClusterWorker fromA = nodes.workers(0).worker(name);
    assertTrue(Await.result(fromA.queue(WorkSpec.of("z", "stubborn", null))));
    Await.until("the stubborn run started", () -> events.contains("start:z@2"));
    ClusterWorker fromB = nodes.workers(1).worker(name);
    CompletableFuture<Boolean> cancel = fromB.cancelSync("z").toCompletableFuture();
    // calls from one node arrive in order: refused, so the cancelSync is waiting on the old home
    assertFalse(Await.result(fromB.queue(WorkSpec.of("z", "stubborn", null))));
    try (LogCapture log = LogCapture.of("io.kworker.cluster.Worker")) {
      nodes.leave(2);
      String zombie = log.await("still runs after the hand-off deadline");
      assertTrue(zombie.contains("[" + name + "]") && zombie.contains("[z]"), zombie);
    }
    Throwable e = Await.failure(cancel);
    WorkerRelocatedException relocated = assertInstanceOf(WorkerRelocatedException.class, e);
    assertTrue(relocated.stillRunning(), e.getMessage());
    assertTrue(e.getMessage().contains("[" + name + "]") && e.getMessage().contains("[z]"), e.getMessage());
    assertTrue(sawStop.get(), "the run was asked to stop cooperatively");
    assertTrue(sawInterrupt.get(), "the run was interrupted");
    release.countDown();
  }
}

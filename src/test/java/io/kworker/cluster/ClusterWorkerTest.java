package io.kworker.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import io.kworker.WorkState;
import io.kworker.testing.Await;
import io.kworker.testing.ExpectedLogs;
import io.kworker.testing.Gate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Cluster mode on three nodes (A = 0, B = 1, C = 2) in one JVM, every message serialized: each test
 * picks a worker hosted on B and calls it from A or C.
 */
class ClusterWorkerTest {
  @RegisterExtension
  static final ExpectedLogs LOGS = ExpectedLogs.of(ExpectedLogs.ARMED_AT_DESTROY);
  /** A payload type, as applications send: a record read back into its class on the hosting node. */
  record Greeting(String to, int times) {}

  private static ClusterNodes nodes;
  /** Events of all nodes, in order: "run:<id>@<node>", "answer:...", ... */
  private static final List<String> events = new CopyOnWriteArrayList<>();
  private static final Map<String, Gate> gates = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private static final AtomicInteger names = new AtomicInteger();

  @BeforeAll
  static void start() {
    nodes = ClusterNodes.start(3, "", (i, w) -> {
      w.register("greet", Greeting.class, (ctx, g) -> events.add("run:" + ctx.workId() + "@" + i + ":" + g));
      w.register("count", String.class, (ctx, p) -> {
        runs.computeIfAbsent(ctx.worker() + "/" + ctx.workId(), k -> new AtomicInteger()).incrementAndGet();
        events.add("run:" + ctx.workId());
      });
      w.register("block", String.class, (ctx, gate) -> {
        events.add("start:" + ctx.workId());
        gates.get(gate).pass();
        events.add("end:" + ctx.workId() + ":cancelRequested=" + ctx.cancelRequested());
      });
      w.register("rearm", String.class, (ctx, p) -> {
        runs.computeIfAbsent(ctx.worker() + "/" + ctx.workId(), k -> new AtomicInteger()).incrementAndGet();
        ctx.queueSelfDelayed(Duration.ofMillis(5));
      });
      w.register("self-wait", String.class, (ctx, how) -> {
        ClusterWorker me = nodes.workers(i).worker(ctx.worker());
        try {
          if (how.equals("cancelSync")) {
            me.cancelSync(ctx.workId());
          } else {
            me.flush();
          }
          events.add("self-wait:no error");
        } catch (IllegalStateException e) {
          events.add("self-wait:" + e.getMessage());
        }
      });
      if (i != 1) {
        w.register("not-on-B", String.class, (ctx, p) -> events.add("run:" + ctx.workId()));
      }
    });
  }

  @AfterAll
  static void stop() {
    if (nodes != null) {
      nodes.close();
    }
  }

  private static String workerOnB() {
    return nodes.nameOn(1, "w" + names.incrementAndGet());
  }

  /** Queues work {@code id} of handler "block" on worker {@code name} from {@code caller}; returns once it runs. */
  private static Gate running(ClusterWorker caller, String name, String id) {
    Gate gate = gate(name);
    assertTrue(Await.result(caller.queue(WorkSpec.of(id, "block", name))));
    gate.awaitEntered();
    return gate;
  }

  private static Gate gate(String name) {
    Gate g = new Gate();
    gates.put(name, g);
    return g;
  }

  @Test
  void queueOnAWorkerHostedElsewhereRunsItThereWithItsPayload() {
    String name = workerOnB();
    ClusterWorker fromA = nodes.workers(0).worker(name);
    assertTrue(Await.result(fromA.queue(WorkSpec.of("hello", "greet", new Greeting("Ada", 3)))));
    Await.result(fromA.flush("hello"));
    assertTrue(events.contains("run:hello@1:Greeting[to=Ada, times=3]"), events.toString());
    assertEquals(WorkState.IDLE, Await.result(nodes.workers(2).worker(name).state("hello")));
  }

  @Test
  void aDependentActionRunsOnTheAkkaThreadThatDeliversTheAnswer() {
    String name = workerOnB();
    ClusterWorker fromA = nodes.workers(0).worker(name);
    Gate gate = running(fromA, name, "held");
    CompletableFuture<String> thread = new CompletableFuture<>();
    fromA.flush("held").whenComplete((v, e) -> thread.complete(Thread.currentThread().getName()));
    gate.open(); // the flush answers after this: its callback was attached before
    String t = Await.result(thread);
    // not a thread of its own per answer, which cost as much as the network (docs/performance.md)
    assertTrue(t.startsWith(ClusterNodes.SYSTEM + "-"), t);
  }

  @Test
  void cancelSyncFromAThirdNodeAnswersOnlyAfterTheRunReturns() {
    String name = workerOnB();
    ClusterWorker fromA = nodes.workers(0).worker(name);
    ClusterWorker fromC = nodes.workers(2).worker(name);
    Gate gate = running(fromA, name, "long");
    CompletableFuture<Boolean> cancel = fromC.cancelSync("long").toCompletableFuture()
        .whenComplete((v, e) -> events.add("answer:cancelSync " + name + "=" + v));
    // calls from one node arrive in order: this queue comes after the cancelSync, which still waits
    // (canceling > 0), so it is refused
    assertFalse(Await.result(fromC.queue(WorkSpec.of("long", "block", name))));
    assertFalse(cancel.isDone());
    gate.open();
    assertFalse(Await.result(cancel)); // it was running, not pending
    int end = events.indexOf("end:long:cancelRequested=true");
    assertTrue(end >= 0, "the run saw cancelRequested() while cancelSync waited: " + events);
    assertTrue(end < events.indexOf("answer:cancelSync " + name + "=false"), events.toString());
    assertTrue(Await.result(fromA.queue(WorkSpec.of("long", "block", name)))); // canceling is over
    Await.result(fromA.flush("long"));
  }

  @Test
  void aSelfReArmingDelayedWorkStopsForGoodOnCancelSyncFromAnotherNode() {
    String name = workerOnB();
    ClusterWorker fromA = nodes.workers(0).worker(name);
    assertTrue(Await.result(fromA.queueDelayed(WorkSpec.of("tick", "rearm", null), Duration.ZERO)));
    AtomicInteger count = runs.computeIfAbsent(name + "/tick", k -> new AtomicInteger());
    Await.until("three runs", () -> count.get() >= 3);
    Await.result(nodes.workers(2).worker(name).cancelSync("tick"));
    int after = count.get();
    // not pending, not armed, not running: nothing can run it again without a new queueing call
    assertEquals(WorkState.IDLE, Await.result(fromA.state("tick")));
    Await.result(fromA.flush());
    assertEquals(after, count.get());
  }

  @Test
  void flushOfTheWorkerFromAnotherNodeCompletesAfterEveryEarlierWorkRanInOrder() {
    String name = workerOnB();
    ClusterWorker fromA = nodes.workers(0).worker(name);
    List<String> ids = List.of("f1", "f2", "f3", "f4");
    for (String id : ids) {
      assertTrue(Await.result(fromA.queue(WorkSpec.of(id, "count", null))));
    }
    Await.result(nodes.workers(2).worker(name).flush());
    List<String> ran = events.stream().filter(e -> e.matches("run:f\\d")).toList();
    assertEquals(List.of("run:f1", "run:f2", "run:f3", "run:f4"), ran.subList(ran.size() - 4, ran.size()));
    for (String id : ids) {
      assertEquals(1, runs.get(name + "/" + id).get());
    }
  }

  @Test
  void aHandlerNotRegisteredOnTheHostingNodeFailsAtOnceNamingHandlerWorkerAndNode() {
    String name = workerOnB();
    Throwable e = Await.failure(nodes.workers(0).worker(name).queue(WorkSpec.of("x", "not-on-B", null)));
    assertInstanceOf(UnknownHandlerException.class, e);
    assertTrue(e.getMessage().contains("[not-on-B]"), e.getMessage());
    assertTrue(e.getMessage().contains("[" + name + "]"), e.getMessage());
    assertTrue(e.getMessage().contains("[" + nodes.address(1) + "]"), e.getMessage());
    assertEquals(WorkState.IDLE, Await.result(nodes.workers(0).worker(name).state("x")));
  }

  @Test
  void aSecondUseOfAWorkIdWithAnotherHandlerIsRefusedAndQueuesNothing() {
    String name = workerOnB();
    ClusterWorker fromA = nodes.workers(0).worker(name);
    Gate gate = running(fromA, name, "hold"); // "job" queued behind it stays pending
    assertTrue(Await.result(fromA.queue(WorkSpec.of("job", "count", null))));
    Throwable e = Await.failure(nodes.workers(2).worker(name).queue(WorkSpec.of("job", "greet", null)));
    assertInstanceOf(WorkBindingException.class, e);
    for (String part : List.of("[job]", "[count]", "[greet]")) {
      assertTrue(e.getMessage().contains(part), e.getMessage());
    }
    gate.open();
    Await.result(fromA.flush());
    assertEquals(1, runs.get(name + "/job").get());
    assertFalse(events.stream().anyMatch(ev -> ev.startsWith("run:job@")), events.toString());
  }

  @Test
  void aTimeoutIsNeverSuccessItSaysOutcomeUnknown() {
    String name = workerOnB();
    ClusterWorker fromC = nodes.workers(2).worker(name);
    Gate gate = running(fromC, name, "slow");
    Throwable e = Await.failure(fromC.cancelSync("slow", Duration.ofMillis(300)));
    assertInstanceOf(TimeoutException.class, e);
    assertTrue(e.getMessage().contains("outcome unknown"), e.getMessage());
    gate.open();
    assertFalse(Await.result(fromC.cancelSync("slow"))); // the late answer went nowhere; a new wait works
  }

  @Test
  void aWaitOnItselfFromInsideAHandlerFailsAtOnce() {
    String name = workerOnB();
    ClusterWorker fromA = nodes.workers(0).worker(name);
    assertTrue(Await.result(fromA.queue(WorkSpec.of("me", "self-wait", "cancelSync"))));
    Await.result(fromA.flush("me"));
    assertTrue(Await.result(fromA.queue(WorkSpec.of("me", "self-wait", "flush"))));
    Await.result(fromA.flush("me"));
    List<String> seen = events.stream().filter(e -> e.startsWith("self-wait:")).toList();
    assertEquals(2, seen.size(), seen.toString());
    assertTrue(seen.get(0).contains("cancelSync of work [me]") && seen.get(0).contains("wait for that run itself"),
        seen.toString());
    assertTrue(seen.get(1).contains("flush of the worker"), seen.toString());
  }

  @Test
  void aPayloadThatCannotBeReadAsTheHandlersTypeIsRefusedNamingTheType() {
    String name = workerOnB();
    Throwable e = Await.failure(nodes.workers(0).worker(name).queue(WorkSpec.of("g", "greet", List.of(1, 2))));
    assertInstanceOf(IllegalArgumentException.class, e);
    assertTrue(e.getMessage().contains(Greeting.class.getName()), e.getMessage());
    assertEquals(WorkState.IDLE, Await.result(nodes.workers(0).worker(name).state("g")));
  }

  @Test
  void afterDestroyALaterCallFindsAFreshEmptyWorker() {
    String name = workerOnB();
    ClusterWorker fromA = nodes.workers(0).worker(name);
    assertTrue(Await.result(fromA.queueDelayed(WorkSpec.of("armed", "count", null), Duration.ofHours(1))));
    assertEquals(Done.getInstance(), Await.result(nodes.workers(2).worker(name).destroy()));
    assertEquals(WorkState.IDLE, Await.result(fromA.state("armed")));
    // the id is free again: a fresh worker binds it anew
    assertTrue(Await.result(fromA.queue(WorkSpec.of("armed", "greet", new Greeting("Bo", 1)))));
    Await.result(fromA.flush());
    assertTrue(events.contains("run:armed@1:Greeting[to=Bo, times=1]"), events.toString());
  }

  @Test
  void returnValuesAreTheKernels() {
    String name = workerOnB();
    ClusterWorker w = nodes.workers(2).worker(name);
    WorkSpec d = WorkSpec.of("d", "count", null);
    assertFalse(Await.result(w.cancel("never-used")));
    assertFalse(Await.result(w.cancelSync("never-used")));
    assertTrue(Await.result(w.queueDelayed(d, Duration.ofHours(1))));
    assertFalse(Await.result(w.queueDelayed(d, Duration.ofHours(1)))); // already pending
    assertEquals(WorkState.ARMED, Await.result(w.state("d")));
    assertTrue(Await.result(w.modDelayed(d, Duration.ofDays(365 * 200L)))); // was pending; re-armed "never"
    assertTrue(Await.result(w.cancel("d")));
    assertFalse(Await.result(w.modDelayed(d, Duration.ofHours(2)))); // was idle
    assertTrue(Await.result(w.cancelSync("d")));
    assertFalse(Await.result(w.cancel("d")));
    assertFalse(Await.result(w.modDelayed(d, Duration.ZERO))); // was idle: queued at the tail
    Await.result(w.flush("d"));
    assertEquals(1, runs.get(name + "/d").get());
    assertEquals(name, w.name());
  }

  @Test
  void badArgumentsFailAtTheCall() {
    ClusterWorker w = nodes.workers(0).worker("any");
    assertThrows(NullPointerException.class, () -> w.queue(null));
    assertThrows(NullPointerException.class, () -> w.queueDelayed(WorkSpec.of("a", "count", null), null));
    assertThrows(IllegalArgumentException.class,
        () -> w.queueDelayed(WorkSpec.of("a", "count", null), Duration.ofMillis(-1)));
    assertThrows(NullPointerException.class, () -> w.cancelSync(null));
    assertThrows(IllegalArgumentException.class, () -> WorkSpec.of("", "count", null));
    assertThrows(IllegalArgumentException.class, () -> nodes.workers(0).worker(""));
    Object unwritable = new Object() {
      @SuppressWarnings("unused")
      public String getValue() {
        throw new IllegalStateException("cannot be read");
      }
    };
    assertThrows(IllegalArgumentException.class, () -> w.queue(WorkSpec.of("a", "count", unwritable)));
  }
}

package io.kworker.regression;

import static io.kworker.testing.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.jdi.Location;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.EventRequest;
import io.kworker.KWorker;
import io.kworker.Work;
import io.kworker.WorkStatus;
import io.kworker.testing.Await;
import io.kworker.testing.Gate;
import io.kworker.testing.Jdi;
import io.kworker.testing.WorkerTestKit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fixed in f0631f6 (the lost wake-up came with a7b20f9's lazy report): a report linked without waking the
 * actor lost the wake-up of a request linked behind it.
 *
 * <p>The inbox's Dekker handshake needs every producer to read {@code awake} after it has linked: the
 * actor's {@code sleep()} (awake = 0, then head.next) cannot see a request hidden behind a producer that
 * won the tail and has not written {@code t.next} yet, so that producer must wake the actor once it has.
 * The lane's report, when it had answered every waiter itself, did not. Interleaving:
 * <ol>
 *   <li>actor in onWake, about to sleep (awake == 1);
 *   <li>lane: report of a run a façade cancelSync waits for: link() wins the tail, preempted before
 *       {@code t.next = report};
 *   <li>caller: status(probe) links behind the report, reads awake == 1: taken, no Wake;
 *   <li>actor: sleep(): awake = 0, head.next == null: idle;
 *   <li>lane: {@code t.next = report}, answers the cancelSync, wakes no one.
 * </ol>
 * The caller's request stayed in the inbox of an idle worker until something else woke it. Found by the
 * independent review. Guards that the request linked behind the deferred report is served.
 *
 * <p>The preemptions are made deterministic with JDI breakpoints in this very JVM, on the lines marked
 * {@code // JDI mark [link]}, {@code [sleep]} (Inbox.java) and {@code [idle]} (WorkerBehavior.java), as in
 * {@link DrainGapTest}; tagged {@code jdi}, it runs the same way, and without the JDWP agent it is
 * skipped.
 */
@Tag(Jdi.TAG)
class DeferredWakeTest {
  // a platform lane: the JDI sees no virtual thread without the JDWP option includevirtualthreads (Java 21+)
  static final WorkerTestKit kit = WorkerTestKit.withConfig("kworker.execution = dedicated");

  @AfterAll
  static void shutdown() {
    kit.shutdown();
  }

  private final Map<EventRequest, CountDownLatch> hits = new ConcurrentHashMap<>();
  private final Map<EventRequest, EventSet> held = new ConcurrentHashMap<>();
  private final Map<EventRequest, ThreadReference> threads = new ConcurrentHashMap<>();

  @Test
  void aRequestLinkedBehindADeferredReportIsServed() throws Exception {
    String port = Jdi.port();
    KWorker worker = kit.newWorker("rv-deferred-wake");
    Work probe = Work.of("probe", () -> {});
    Gate gate = new Gate();
    AtomicReference<String> laneName = new AtomicReference<>();
    Work running = Work.of("running", w -> {
      laneName.set(Thread.currentThread().getName());
      gate.pass();
    });
    result(worker.queue(running));
    gate.awaitEntered();
    CompletableFuture<Boolean> cancelled = worker.cancelSync(running).toCompletableFuture();
    assertEquals(1, result(worker.status(running)).canceling(), "the cancelSync is parked on the run");

    VirtualMachine vm = Jdi.attach(port);
    try {
      startEventThread(vm);
      ReferenceType inboxType = vm.classesByName("io.kworker.internal.Inbox").get(0);
      ReferenceType behaviorType = vm.classesByName("io.kworker.internal.WorkerBehavior").get(0);
      ObjectReference inbox = instanceOf(inboxType, worker.name());
      ThreadReference lane = vm.allThreads().stream().filter(t -> t.name().equals(laneName.get()))
          .findFirst().orElseThrow();

      // 1. the actor, in onWake, stops just before sleep() clears `awake`
      BreakpointRequest sleepBp = breakpoint(vm, inboxType, "sleep", "Inbox.java", "sleep");
      sleepBp.addInstanceFilter(inbox);
      sleepBp.enable();
      worker.status(probe); // a wake-up, so that the actor reaches sleep() at least once more
      Await.await(hit(sleepBp));
      ThreadReference actor = threads.get(sleepBp);

      // 2. the lane reports the run: the cancelSync is its only waiter, so the report goes in lazily;
      //    it stops between winning the tail and linking the node
      BreakpointRequest linkBp = breakpoint(vm, inboxType, "link", "Inbox.java", "link");
      linkBp.addThreadFilter(lane);
      linkBp.enable();
      gate.open();
      Await.await(hit(linkBp));

      // 3. a caller links behind the report while awake == 1: no Wake is sent (correctly: the actor
      //    is draining, and whoever hides a request from it must wake it)
      CompletableFuture<WorkStatus> stranded = worker.status(probe).toCompletableFuture();

      // 4. the actor clears awake, sees no next request (the gap) and goes idle
      BreakpointRequest idleBp =
          breakpoint(vm, behaviorType, "onWake", "WorkerBehavior.java", "idle");
      idleBp.addThreadFilter(actor);
      idleBp.enable();
      sleepBp.disable();
      held.remove(sleepBp).resume();
      Await.await(hit(idleBp));

      // 5. the lane links the report and answers the cancelSync; it must wake the actor for the caller
      linkBp.disable();
      held.remove(linkBp).resume();
      assertFalse(result(cancelled), "the run was not pending: cancelSync gives false");
      idleBp.disable();
      held.remove(idleBp).resume();

      try {
        stranded.get(Await.LONG_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        fail("status(probe), linked behind the lane's deferred report while the actor was about to sleep, "
            + "was never served: the actor went idle and the report's enqueue sent no Wake");
      }
    } finally {
      for (EventSet s : held.values()) {
        s.resume();
      }
      vm.dispose();
    }
  }

  private CountDownLatch hit(EventRequest r) {
    return hits.computeIfAbsent(r, k -> new CountDownLatch(1));
  }

  private void startEventThread(VirtualMachine vm) {
    Thread events = new Thread(() -> {
      try {
        for (;;) {
          EventSet set = vm.eventQueue().remove();
          BreakpointEvent bp = null;
          for (Event e : set) {
            if (e instanceof BreakpointEvent b) {
              bp = b;
            }
          }
          if (bp == null) {
            set.resume();
          } else {
            threads.put(bp.request(), bp.thread());
            held.put(bp.request(), set); // keep the thread suspended until the test resumes it
            hit(bp.request()).countDown();
          }
        }
      } catch (Exception e) {
        // disconnected
      }
    }, "rv-jdi-events");
    events.setDaemon(true);
    events.start();
  }

  /** A breakpoint on the line of {@code method} that carries the comment {@code JDI mark [mark]}. */
  private static BreakpointRequest breakpoint(VirtualMachine vm, ReferenceType type, String method, String file,
      String mark) throws Exception {
    int line = Jdi.markedLine(file, mark);
    Location loc = type.methodsByName(method).get(0).allLineLocations().stream()
        .filter(l -> l.lineNumber() == line).findFirst()
        .orElseThrow(() -> new AssertionError("no code at " + file + ":" + line));
    BreakpointRequest bp = vm.eventRequestManager().createBreakpointRequest(loc);
    bp.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
    return bp;
  }


  /** The worker's Inbox object, by its handle's name. */
  private static ObjectReference instanceOf(ReferenceType inboxType, String workerName) {
    for (ObjectReference o : inboxType.instances(0)) {
      ObjectReference handle = (ObjectReference) o.getValue(inboxType.fieldByName("handle"));
      String name = ((StringReference) handle.getValue(handle.referenceType().fieldByName("name"))).value();
      if (name.equals(workerName)) {
        return o;
      }
    }
    throw new AssertionError("no Inbox for worker [" + workerName + "]");
  }
}

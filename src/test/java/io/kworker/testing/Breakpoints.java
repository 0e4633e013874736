package io.kworker.testing;

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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * JDI breakpoints on this very JVM, at the lines of {@code internal/} marked {@code // JDI mark [name]}
 * ({@link Jdi#markedLine}): a thread that hits one stays suspended until the test resumes it, which
 * makes a preemption at that line deterministic. Closing resumes every held thread and detaches.
 */
public final class Breakpoints implements AutoCloseable {
  private final VirtualMachine vm;
  private final Map<EventRequest, CountDownLatch> hits = new ConcurrentHashMap<>();
  private final Map<EventRequest, EventSet> held = new ConcurrentHashMap<>();
  private final Map<EventRequest, ThreadReference> threads = new ConcurrentHashMap<>();

  private Breakpoints(VirtualMachine vm) {
    this.vm = vm;
  }

  /** Attaches to the JDWP agent (the test is skipped without it, see {@link Jdi#port}). */
  public static Breakpoints attach() throws Exception {
    Breakpoints b = new Breakpoints(Jdi.attach(Jdi.port()));
    b.startEventThread();
    return b;
  }

  /** A loaded class of {@code io.kworker.internal}, by its simple name. */
  private ReferenceType type(String simpleName) {
    return vm.classesByName("io.kworker.internal." + simpleName).get(0);
  }

  /** A live thread, by name. */
  public ThreadReference thread(String name) {
    return vm.allThreads().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no thread [" + name + "]"));
  }

  /**
   * A breakpoint, enabled, in {@code method} of {@code internal/<Simple>.java} on the line marked
   * {@code mark}, for that class's instance that belongs to worker {@code workerName} (a WorkerBehavior,
   * an Inbox, a Lane: each has a {@code handle} field).
   */
  public BreakpointRequest onWorker(String simpleName, String method, String mark, String workerName)
      throws Exception {
    BreakpointRequest bp = at(simpleName, method, mark);
    bp.addInstanceFilter(ofWorker(simpleName, workerName));
    bp.enable();
    return bp;
  }

  /** As {@link #onWorker}, but for {@code thread} only, in whatever instance it runs. */
  public BreakpointRequest onThread(String simpleName, String method, String mark, ThreadReference thread)
      throws Exception {
    BreakpointRequest bp = at(simpleName, method, mark);
    bp.addThreadFilter(thread);
    bp.enable();
    return bp;
  }

  /** A disabled breakpoint in {@code method} of {@code internal/<Simple>.java}, on the line marked {@code mark}. */
  private BreakpointRequest at(String simpleName, String method, String mark) throws Exception {
    ReferenceType type = type(simpleName);
    String file = simpleName + ".java";
    int line = Jdi.markedLine(file, mark);
    Location loc = type.methodsByName(method).stream().flatMap(m -> {
      try {
        return m.allLineLocations().stream(); // every overload: the line is in one of them
      } catch (com.sun.jdi.AbsentInformationException e) {
        return java.util.stream.Stream.empty();
      }
    }).filter(l -> l.lineNumber() == line).findFirst()
        .orElseThrow(() -> new AssertionError("no code at " + file + ":" + line + " in " + method));
    BreakpointRequest bp = vm.eventRequestManager().createBreakpointRequest(loc);
    bp.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
    return bp;
  }

  /** Waits (bounded) until a thread hits {@code bp}, and returns that thread, held there. */
  public ThreadReference awaitHit(BreakpointRequest bp) {
    Await.await(latch(bp));
    return threads.get(bp);
  }

  /** Resumes the thread held at {@code bp}; the breakpoint stays enabled, for {@link #awaitHit}. */
  public void resume(BreakpointRequest bp) {
    EventSet set = held.remove(bp);
    hits.put(bp, new CountDownLatch(1)); // before the resume: the next hit may come at once
    set.resume();
  }

  /** Resumes the thread held at {@code bp}, and waits (bounded) until a thread hits it again. */
  public void step(BreakpointRequest bp) {
    resume(bp);
    awaitHit(bp);
  }

  /** Disables {@code bp} and resumes the thread it holds. */
  public void release(BreakpointRequest bp) {
    bp.disable();
    EventSet set = held.remove(bp);
    if (set != null) {
      set.resume();
    }
  }

  /** The worker's instance of an internal class that has a {@code handle} field. */
  private ObjectReference ofWorker(String simpleName, String workerName) {
    ReferenceType type = type(simpleName);
    for (ObjectReference o : type.instances(0)) {
      ObjectReference handle = (ObjectReference) o.getValue(type.fieldByName("handle"));
      String name = ((StringReference) handle.getValue(handle.referenceType().fieldByName("name"))).value();
      if (name.equals(workerName)) {
        return o;
      }
    }
    throw new AssertionError("no " + simpleName + " for worker [" + workerName + "]");
  }

  @Override
  public void close() {
    for (EventSet s : held.values()) {
      s.resume();
    }
    vm.dispose();
  }

  private CountDownLatch latch(EventRequest r) {
    return hits.computeIfAbsent(r, k -> new CountDownLatch(1));
  }

  private void startEventThread() {
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
            held.put(bp.request(), set); // the thread stays suspended until the test releases it
            latch(bp.request()).countDown();
          }
        }
      } catch (Exception e) {
        // disconnected
      }
    }, "jdi-events");
    events.setDaemon(true);
    events.start();
  }
}

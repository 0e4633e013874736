package io.kworker.testing;

import io.kworker.DelayedWork;
import io.kworker.Work;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Works that record their runs: order of runs, run counts, overlap and the threads they ran on. */
public final class Recorder {
  private final List<String> order = new ArrayList<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean overlapped;
  private volatile String lastThread;

  public Work work(String name) {
    return Work.of(name, w -> record(name));
  }

  public DelayedWork delayed(String name) {
    return DelayedWork.of(name, w -> record(name));
  }

  /** Call from inside a work's function. */
  public void record(String name) {
    if (inFlight.incrementAndGet() != 1) {
      overlapped = true;
    }
    synchronized (order) {
      order.add(name);
    }
    counts.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
    lastThread = Thread.currentThread().getName();
    inFlight.decrementAndGet();
  }

  public List<String> order() {
    synchronized (order) {
      return List.copyOf(order);
    }
  }

  public int runs(String name) {
    AtomicInteger c = counts.get(name);
    return c == null ? 0 : c.get();
  }

  public boolean overlapped() {
    return overlapped;
  }

  public String lastThread() {
    return lastThread;
  }
}

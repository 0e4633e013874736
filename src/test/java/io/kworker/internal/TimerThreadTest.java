package io.kworker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ManualTime;
import io.kworker.testing.Await;
import io.kworker.testing.WorkerTestKit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** kworker's timer thread: deadline order, lazy cancel and purge, huge delays, shutdown; and its choice. */
class TimerThreadTest {
  private final TimerThread timers = new TimerThread("kworker-timer-test");
  private final List<Probe> fired = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    timers.shutdown();
  }

  /** A timer that records its expiry instead of telling an actor. */
  final class Probe extends Timer {
    final String name;
    final CountDownLatch done = new CountDownLatch(1);

    Probe(String name) {
      super(null, null);
      this.name = name;
    }

    @Override
    public void run() {
      fired.add(this);
      done.countDown();
    }

    void await() throws Exception {
      if (!done.await(30, TimeUnit.SECONDS)) {
        throw new TimeoutException("timer [" + name + "] never fired");
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  @Test
  void firesEveryTimerOnceInDeadlineOrder() throws Exception {
    List<Probe> probes = new ArrayList<>();
    long[] delaysMs = {90, 10, 50, 30, 70, 20};
    for (int i = 0; i < delaysMs.length; i++) {
      Probe p = new Probe("t" + i);
      timers.arm(p, TimeUnit.MILLISECONDS.toNanos(delaysMs[i]));
      probes.add(p);
    }
    for (Probe p : probes) {
      p.await();
    }
    // the order of the deadlines actually taken (arming itself takes time on a loaded machine)
    List<Probe> byDeadline = new ArrayList<>(probes);
    byDeadline.sort(Comparator.comparingLong(p -> p.deadline - probes.get(0).deadline));
    assertEquals(byDeadline, fired);
    assertEquals(0, timers.size());
  }

  /** A cancelled timer never fires, even one that is due before a timer that does. */
  @Test
  void cancelledTimerNeverFires() throws Exception {
    Probe early = new Probe("early");
    Probe late = new Probe("late");
    timers.arm(early, TimeUnit.MILLISECONDS.toNanos(20));
    timers.arm(late, TimeUnit.MILLISECONDS.toNanos(60));
    timers.cancel(early);
    late.await();
    assertEquals(List.of(late), fired);
    timers.cancel(late); // after it fired: a no-op
    assertEquals(0, timers.size());
  }

  /**
   * Cancelled timers are purged once they are more than half of the heap, and the heap is empty once all
   * are cancelled. Cancelled from the latest deadline down, so that none is the root, which the thread
   * would drop on its own.
   */
  @Test
  void cancelledTimersArePurged() {
    List<Probe> probes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Probe p = new Probe("h" + i);
      timers.arm(p, TimeUnit.HOURS.toNanos(1) + TimeUnit.MILLISECONDS.toNanos(i));
      probes.add(p);
    }
    for (int i = 999; i > 499; i--) {
      timers.cancel(probes.get(i));
    }
    assertEquals(1000, timers.size(), "500 of 1000 cancelled: not more than half, no purge yet");
    timers.cancel(probes.get(499));
    assertEquals(499, timers.size(), "the 501st cancel purges the 501 cancelled timers");
    for (int i = 498; i >= 0; i--) {
      timers.cancel(probes.get(i));
      assertTrue(timers.size() <= 2 * i, "cancelled timers are more than half of " + timers.size());
    }
    assertEquals(0, timers.size());
    assertEquals(16, timers.capacity(), "the array of a heap once large is given back");
    assertTrue(fired.isEmpty());
  }

  /** A cancelled root that the thread drops leaves the cancelled count right: no early purge after it. */
  @Test
  void droppedCancelledRootIsUncounted() throws Exception {
    List<Probe> probes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Probe p = new Probe("r" + i);
      timers.arm(p, TimeUnit.HOURS.toNanos(1) + TimeUnit.MILLISECONDS.toNanos(i));
      probes.add(p);
    }
    timers.cancel(probes.get(0)); // 1 of 4: no purge
    // A cancel does not wake the thread, which may already sleep until r0's deadline: an earlier timer
    // does, and once it has fired the root is the cancelled r0, which the thread drops.
    Probe wake = new Probe("wake");
    timers.arm(wake, TimeUnit.MILLISECONDS.toNanos(1));
    wake.await();
    Await.until("the thread dropped the cancelled root", () -> timers.size() == 3);
    timers.cancel(probes.get(3)); // 1 of 3 is not more than half
    assertEquals(3, timers.size());
    assertEquals(List.of(wake), fired);
  }

  /** After a purge the heap is rebuilt: the timers left still fire in deadline order. */
  @Test
  void timersLeftByAPurgeFireInDeadlineOrder() throws Exception {
    List<Probe> probes = new ArrayList<>();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(40));
    for (int i : order) { // armed in shuffled order, so the heap's array is not sorted
      Probe p = new Probe("p" + i);
      timers.arm(p, TimeUnit.MILLISECONDS.toNanos(200 + 2 * i));
      probes.add(p);
    }
    List<Probe> cancelled = new ArrayList<>(probes);
    Collections.shuffle(cancelled, new Random(21));
    cancelled = cancelled.subList(0, 21);
    for (Probe p : cancelled) {
      timers.cancel(p);
    }
    assertTrue(timers.size() <= 19, "the 21st cancel of 40 purges");
    List<Probe> left = new ArrayList<>(probes);
    left.removeAll(cancelled);
    for (Probe p : left) {
      p.await();
    }
    left.sort(Comparator.comparingLong(p -> p.deadline - probes.get(0).deadline));
    assertEquals(left, fired);
  }

  /** A delay of Long.MAX_VALUE ns neither overflows into the past nor delays the timers behind it. */
  @Test
  void hugeDelayDoesNotOverflow() throws Exception {
    Probe never = new Probe("never");
    Probe soon = new Probe("soon");
    timers.arm(never, Long.MAX_VALUE);
    timers.arm(soon, TimeUnit.MILLISECONDS.toNanos(10));
    soon.await();
    assertEquals(List.of(soon), fired);
    assertEquals(1, timers.size());
  }

  /** After shutdown the thread ends, the heap is empty and arming is ignored. */
  @Test
  void shutdownEndsTheThread() throws Exception {
    Probe p = new Probe("first");
    timers.arm(p, TimeUnit.MILLISECONDS.toNanos(1));
    p.await();
    timers.arm(new Probe("armed"), TimeUnit.HOURS.toNanos(1));
    Thread thread = thread("kworker-timer-test");
    timers.shutdown();
    thread.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(thread.isAlive());
    timers.arm(new Probe("late"), 1);
    assertEquals(0, timers.size());
  }

  /** "auto": the timer thread, unless the actor system runs Akka's ManualTime; bad values are named. */
  @Test
  void choiceFollowsConfiguration() throws Exception {
    WorkerTestKit real = WorkerTestKit.create("timers-real");
    WorkerTestKit manual = WorkerTestKit.withManualTime();
    WorkerTestKit bad = WorkerTestKit.withConfig("timers-bad", "kworker.timers = often");
    try {
      TimerThread own = assertInstanceOf(TimerThread.class, Timers.of(real.system()));
      assertInstanceOf(AkkaTimers.class, Timers.of(manual.system()));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Timers.of(bad.system()));
      assertTrue(e.getMessage().contains("[often]"), e.getMessage());
      Probe p = new Probe("on-system");
      own.arm(p, 1);
      p.await();
      Thread thread = thread("kworker-timer-timers-real");
      real.terminate();
      thread.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(thread.isAlive(), "the timer thread ends with its actor system");
    } finally {
      real.shutdown();
      manual.shutdown();
      bad.shutdown();
    }
  }

  /** "scheduler" (and its former name "akka-scheduler") puts armed works on the actor system's scheduler. */
  @Test
  void schedulerAndItsFormerNameChooseAkkasScheduler() {
    for (String kind : new String[] {"scheduler", "akka-scheduler", "thread"}) {
      WorkerTestKit kit = WorkerTestKit.withConfig(WorkerTestKit.unique("timers-" + kind), "kworker.timers = " + kind);
      try {
        Class<?> expected = kind.equals("thread") ? TimerThread.class : AkkaTimers.class;
        assertEquals(expected, Timers.of(kit.system()).getClass(), kind);
      } finally {
        kit.shutdown();
      }
    }
  }

  /** Two live actor systems of the same name (equal as actor refs) each get their own settings and timers. */
  @Test
  void systemsOfTheSameNameDoNotShare() {
    WorkerTestKit a = WorkerTestKit.withConfig("same-name", "kworker.execution = dedicated");
    WorkerTestKit b = WorkerTestKit.withConfig("same-name", "kworker.execution = akka.actor.default-blocking-io-dispatcher");
    try {
      assertEquals("dedicated", Settings.from(a.system()).execution());
      assertEquals("akka.actor.default-blocking-io-dispatcher", Settings.from(b.system()).execution());
      assertTrue(Timers.of(a.system()) != Timers.of(b.system()));
    } finally {
      a.shutdown();
      b.shutdown();
    }
  }

  private static Thread thread(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no thread named " + name));
  }
}

package io.kworker.internal;

import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kworker's timer thread, one per actor system: a binary min-heap of {@link Timer}s by deadline, and a
 * daemon thread that sleeps until the earliest one, as {@code ScheduledThreadPoolExecutor}'s does. A
 * timer's expiry is sent to its worker within the OS's sleep precision of its deadline (no tick), and an
 * idle thread (nothing armed, or the next deadline far off) costs no CPU.
 *
 * <p>INTERNAL API.
 *
 * <p>Cancelling is lazy, so that it costs amortized O(1) whatever the heap's size: a cancelled timer stays
 * in the heap, marked, until it reaches the root (where it is dropped without firing) or until cancelled
 * timers are more than half of the heap, when the canceller purges them all in one O(n) pass. A
 * cancelled timer holds about 40 bytes and its worker's ActorRef, not its work: the actor clears
 * {@link Timer#work} on disarm.
 *
 * <p>Invariant, under {@link #lock}: {@code heap[0, size)} is a heap by {@link Timer#deadline}; a timer
 * is in it iff {@link Timer#inHeap}; {@link #cancelled} counts those with {@link Timer#cancelled}. A
 * timer leaves the heap once, so it fires at most once; one cancelled while in the heap never fires, and
 * one that had left it may have sent its expiry already, which the actor drops as stale.
 */
final class TimerThread extends Timers implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(io.kworker.KWorker.class);
  /** Deadlines are compared by difference, so keep them within 2^62 ns (146 years) of now. */
  private static final long MAX_DELAY_NANOS = Long.MAX_VALUE >> 1;
  private static final int INITIAL = 16;

  private final String name;
  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled when the root changes to an earlier deadline, and on shutdown. */
  private final Condition rootChanged = lock.newCondition();
  private Timer[] heap = new Timer[INITIAL];
  private int size;
  private int cancelled;
  private Thread thread;
  private boolean shutdown;

  TimerThread(String name) {
    this.name = name;
  }

  @Override
  void arm(Timer t, long delayNanos) {
    armAt(t, System.nanoTime() + Math.min(delayNanos, MAX_DELAY_NANOS));
  }

  @Override
  void arm(Timer t, long delayNanos, long at) {
    if (at == 0) {
      arm(t, delayNanos);
    } else {
      armAt(t, at);
    }
  }

  private void armAt(Timer t, long deadline) {
    lock.lock();
    try {
      t.deadline = deadline;
      if (shutdown) {
        return; // the actor system has terminated: no actor is left to tell
      }
      if (thread == null) {
        thread = start(); // first, so that if it throws nothing has changed
      }
      t.inHeap = true;
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size + (size >> 1));
      }
      siftUp(size++, t);
      if (heap[0] == t) {
        rootChanged.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** No inherited thread locals or context class loader from whichever dispatcher thread armed first. */
  private Thread start() {
    Thread th = new Thread(null, this, name, 0, false);
    th.setDaemon(true);
    th.setContextClassLoader(TimerThread.class.getClassLoader());
    th.start();
    return th;
  }

  @Override
  void cancel(Timer t) {
    lock.lock();
    try {
      if (!t.inHeap || t.cancelled) {
        return; // fired already, or shut down: its message, if any, is dropped as stale
      }
      t.cancelled = true;
      if (++cancelled > size >> 1) {
        purge();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Number of timers in the heap, cancelled ones included (for tests). */
  int size() {
    lock.lock();
    try {
      return size;
    } finally {
      lock.unlock();
    }
  }

  /** Length of the heap's array (for tests). */
  int capacity() {
    lock.lock();
    try {
      return heap.length;
    } finally {
      lock.unlock();
    }
  }

  /** Ends the thread and forgets every timer; later arms are ignored. */
  void shutdown() {
    lock.lock();
    try {
      shutdown = true;
      for (int i = 0; i < size; i++) {
        heap[i].inHeap = false;
        heap[i] = null;
      }
      size = cancelled = 0;
      rootChanged.signal();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void run() {
    lock.lock();
    try {
      loop();
    } finally {
      thread = null; // if an Error ended the loop, the next arm starts a new thread
      lock.unlock();
    }
  }

  private void loop() {
    while (!shutdown) {
      if (size == 0) {
        rootChanged.awaitUninterruptibly();
        continue;
      }
      Timer first = heap[0];
      long wait = first.cancelled ? 0 : first.deadline - System.nanoTime();
      if (wait > 0) {
        awaitNanos(wait);
        continue;
      }
      removeRoot();
      if (first.cancelled) {
        cancelled--;
        continue;
      }
      lock.unlock();
      try {
        first.run();
      } catch (Throwable e) {
        try {
          LOG.error("Timer thread [{}] failed to deliver an expiry; it goes on", name, e);
        } catch (Throwable logging) {
          // even a throwable that cannot be logged must not end the thread
        }
      } finally {
        lock.lock();
      }
    }
  }

  private void awaitNanos(long nanos) {
    try {
      rootChanged.awaitNanos(nanos);
    } catch (InterruptedException e) {
      // nobody but the JVM interrupts this thread; the loop re-reads its state either way
    }
  }

  private void removeRoot() {
    Timer first = heap[0];
    first.inHeap = false;
    Timer last = heap[--size];
    heap[size] = null;
    if (size > 0) {
      siftDown(0, last);
    }
    shrinkIfSparse();
  }

  /** Gives back the array of a heap that was once large, as timers fire or are purged. */
  private void shrinkIfSparse() {
    if (heap.length > INITIAL && size < heap.length >> 2) {
      heap = Arrays.copyOf(heap, Math.max(INITIAL, size << 1));
    }
  }

  /** Drops every cancelled timer and rebuilds the heap, in O(size); shrinks the array if it is mostly empty. */
  private void purge() {
    int n = 0;
    for (int i = 0; i < size; i++) {
      Timer t = heap[i];
      if (t.cancelled) {
        t.inHeap = false;
      } else {
        heap[n++] = t;
      }
    }
    Arrays.fill(heap, n, size, null);
    size = n;
    cancelled = 0;
    shrinkIfSparse();
    for (int i = (n >>> 1) - 1; i >= 0; i--) {
      siftDown(i, heap[i]);
    }
  }

  private void siftUp(int k, Timer t) {
    while (k > 0) {
      int parent = (k - 1) >>> 1;
      Timer p = heap[parent];
      if (t.deadline - p.deadline >= 0) {
        break;
      }
      heap[k] = p;
      k = parent;
    }
    heap[k] = t;
  }

  private void siftDown(int k, Timer t) {
    int half = size >>> 1;
    while (k < half) {
      int child = (k << 1) + 1;
      Timer c = heap[child];
      int right = child + 1;
      if (right < size && heap[right].deadline - c.deadline < 0) {
        c = heap[child = right];
      }
      if (t.deadline - c.deadline <= 0) {
        break;
      }
      heap[k] = c;
      k = child;
    }
    heap[k] = t;
  }

  @Override
  public String toString() {
    return name;
  }
}

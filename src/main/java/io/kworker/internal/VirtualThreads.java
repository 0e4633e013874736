package io.kworker.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;

/**
 * The executor of a worker with {@code execution = "virtual"}: each busy period of its lane runs on a
 * new virtual thread named {@code kworker/<name>}, which ends when the lane's queue is empty.
 *
 * <p>INTERNAL API. The library is compiled for Java 17, so {@code Thread.ofVirtual()} is reached at run
 * time, through method handles looked up once; before Java 21 {@link #UNAVAILABLE} says why not.
 *
 * <p>Why a thread per busy period rather than one parked between works: an idle worker then costs what
 * one on a shared dispatcher does, with no thread (a parked virtual thread keeps about 0.8 KB of stack
 * on the heap; the lane lets go of the last one, see its {@code runner}), and the lane needs nothing
 * else: its {@code scheduled} flag already lets at most one batch run at a time, so works
 * stay one at a time, in order, as on a {@link DedicatedThread}. The lane never parks or waits inside a
 * {@code synchronized} block (its monitors guard a few list operations), so it pins no carrier thread of
 * its own doing, on Java 21 to 23 either; only a work that blocks while holding a monitor can.
 */
final class VirtualThreads implements Executor {
  /** {@code (String name, Runnable r) -> Thread.ofVirtual().name(name).start(r)}, or null before Java 21. */
  private static final MethodHandle START;
  /** Why {@code execution = "virtual"} cannot be had on this JVM ("needs Java 21 ..."), or null if it can. */
  static final String UNAVAILABLE;

  static {
    MethodHandle start = null;
    String why = null;
    int feature = Runtime.version().feature();
    if (feature < 21) {
      why = "needs Java 21 or later, and this JVM is Java " + Runtime.version();
    } else {
      try {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> builder = Class.forName("java.lang.Thread$Builder");
        MethodHandle ofVirtual = lookup.findStatic(Thread.class, "ofVirtual",
            MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")));
        MethodHandle named = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class));
        MethodHandle started = lookup.findVirtual(builder, "start",
            MethodType.methodType(Thread.class, Runnable.class));
        // (name, r) -> ofVirtual().name(name).start(r)
        MethodHandle builderNamed = MethodHandles.collectArguments(
            named, 0, ofVirtual.asType(MethodType.methodType(builder)));
        start = MethodHandles.collectArguments(started, 0, builderNamed);
      } catch (ReflectiveOperationException | RuntimeException e) {
        why = "needs virtual threads, which this JVM (Java " + Runtime.version() + ") does not offer: " + e;
      }
    }
    START = start;
    UNAVAILABLE = why;
  }

  /** The name of every thread of this worker: what an idle worker keeps of its virtual threads. */
  private final String threadName;

  private VirtualThreads(String threadName) {
    this.threadName = threadName;
  }

  /** The executor of a worker's lane, whose threads are named {@code threadName}; only if available. */
  static VirtualThreads named(String threadName) {
    if (START == null) {
      throw new UnsupportedOperationException(UNAVAILABLE);
    }
    return new VirtualThreads(threadName);
  }

  /** Starts a new virtual thread that runs {@code batch}. */
  @Override
  public void execute(Runnable batch) {
    try {
      Thread started = (Thread) START.invokeExact(threadName, batch); // exact: the handle's own type
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e); // the handles throw no checked exception
    }
  }
}

package io.kworker.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The façade's way into the worker actor: a closable multi-producer, single-consumer queue of
 * {@link Entry entries} (calls, and the lane's {@link Over} notices) that only the actor takes from, as
 * part of its mailbox.
 *
 * <p>INTERNAL API.
 *
 * <p>Why not plain actor messages: a message sent while the actor stops is lost to dead letters, and
 * its future would never complete. The actor closes this queue when it stops and answers what is left;
 * an offer after that fails and the caller answers itself. A {@code Wake} message is sent only when the
 * actor may be idle, so a burst of calls costs one mailbox message.
 */
final class Inbox {
  private static final VarHandle TAIL;
  private static final VarHandle AWAKE;
  private static final VarHandle NEXT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(Inbox.class, "tail", Entry.class);
      AWAKE = lookup.findVarHandle(Inbox.class, "awake", int.class);
      NEXT = lookup.findVarHandle(Entry.class, "next", Entry.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** What the inbox carries: a {@link Request} or an {@link Over}. */
  abstract static class Entry {
    /** Link in the inbox. */
    volatile Entry next;
  }

  private static final class Stub extends Entry {}

  private static final Entry CLOSED = new Stub();

  private final WorkerHandle handle;
  private volatile Entry tail;
  /** Consumer side: the last entry taken (initially a stub). */
  private Entry head;
  /** 1 while a Wake is on its way or the actor is draining. */
  private volatile int awake;

  Inbox(WorkerHandle handle) {
    this.handle = handle;
    this.head = this.tail = new Stub();
  }

  /** Any thread: false if the inbox is closed (the request was not taken). */
  boolean offer(Entry r) {
    int taken = enqueue(r);
    if (taken == WAKE) {
      handle.wake();
    }
    return taken != REFUSED;
  }

  static final int REFUSED = -1;
  static final int TAKEN = 0;
  static final int WAKE = 1;

  /**
   * Any thread: links {@code r} in; {@link #WAKE} if the caller must then wake the actor (which it may
   * do a little later, as the lane does after answering its waiters), {@link #REFUSED} if closed.
   */
  int enqueue(Entry r) {
    if (link(r) == REFUSED) {
      return REFUSED;
    }
    return awake == 0 && AWAKE.compareAndSet(this, 0, 1) ? WAKE : TAKEN;
  }

  /**
   * Any thread: as {@link #enqueue}, but {@link #WAKE} only if a request linked behind {@code r} may be
   * unseen by an idle actor; {@code r} alone waits for the actor's next Wake. (A producer that linked
   * behind {@code r} before {@code r} itself was linked may have seen the actor awake and sent no Wake,
   * while the actor, unable to see past {@code r}'s gap, went idle: Dekker again, on {@code r.next}.)
   */
  int enqueueLazily(Entry r) {
    if (link(r) == REFUSED) {
      return REFUSED;
    }
    return r.next != null && awake == 0 && AWAKE.compareAndSet(this, 0, 1) ? WAKE : TAKEN;
  }

  /** Any thread: links {@code r} in ({@link #TAKEN}) unless the inbox is closed ({@link #REFUSED}). */
  private int link(Entry r) {
    for (;;) {
      Entry t = tail;
      if (t == CLOSED) {
        return REFUSED;
      }
      if (TAIL.compareAndSet(this, t, r)) {
        t.next = r; // JDI mark [link]: DrainGapTest and DeferredWakeTest hold a producer here
        return TAKEN;
      }
    }
  }

  /** Actor: the next entry, or null. */
  Entry poll() {
    Entry n = head.next;
    if (n != null) {
      advance(n);
    }
    return n;
  }

  /**
   * Actor: moves the head on to {@code n}, and the entry passed links to itself. Otherwise a passed entry
   * that a young GC had promoted would keep every later entry, and its future, reachable until the next
   * old-generation mark, and each young GC would copy them all (GC nepotism; docs/performance.md, "The
   * core restructured"). ConcurrentLinkedQueue self-links for the same reason. No one follows a passed
   * entry: it is never the tail again, and enqueueLazily only asks whether its next is set, as it was.
   */
  private void advance(Entry n) {
    Entry passed = head;
    head = n;
    NEXT.setRelease(passed, passed);
  }

  /** Actor: after poll() gave null; true if the actor may go idle, false if it must keep draining. */
  boolean sleep() {
    awake = 0; // JDI mark [sleep]: DeferredWakeTest holds the actor here
    // Dekker with offer(): a request linked before our store is seen here; a later one sends a Wake.
    return head.next == null || !AWAKE.compareAndSet(this, 0, 1);
  }

  /**
   * Actor: takes every entry that got in before this call, in order, even past a producer that won the
   * tail and has not linked yet. A message that a thread sends after a call it made (a protocol command,
   * the lane's mailbox {@link Over}) therefore never overtakes that call.
   */
  void takeEarlier(Consumer<Entry> served) {
    Entry last = tail;
    if (last != CLOSED) {
      takeUpTo(last, served);
    }
  }

  /** Actor: closes the inbox and returns every entry that got in before. */
  List<Entry> close() {
    Entry last = (Entry) TAIL.getAndSet(this, CLOSED);
    List<Entry> rest = new ArrayList<>();
    if (last != CLOSED) {
      takeUpTo(last, rest::add);
    }
    return rest;
  }

  private void takeUpTo(Entry last, Consumer<Entry> served) {
    while (head != last) {
      Entry n;
      while ((n = head.next) == null) {
        Thread.onSpinWait(); // a producer won the tail and is about to link
      }
      advance(n);
      served.accept(n);
    }
  }
}

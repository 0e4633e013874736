package io.kworker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Fixed in the restructuring's performance check: an inbox entry the actor had passed still linked to the
 * next one, so once a young GC had promoted one of them, it kept every later entry (and its future)
 * reachable until the next full mark, and each young GC copied the whole stream of calls: with producers
 * alternating between 1 and 4, queue+run fell by about 40 % and the heap climbed to 2 GB. Guards that
 * a passed entry, whichever way the actor takes it, links to nothing but itself.
 */
class InboxNepotismTest {
  private static Request call() {
    return new Request(Op.QUEUE, null, 0, 0, null, new CompletableFuture<>());
  }

  @Test
  void passedEntriesLinkToNothingLater() {
    Inbox inbox = new WorkerHandle("nepotism").inbox;
    Request a = call();
    Request b = call();
    Request c = call();
    for (Request r : List.of(a, b, c)) {
      inbox.enqueue(r);
    }
    assertSame(a, inbox.poll());
    assertSame(b, inbox.poll());
    assertSame(a, a.next, "passed by poll(): links to itself");
    assertSame(c, b.next, "the last entry taken is the head: still linked on");

    List<Inbox.Entry> taken = new ArrayList<>();
    inbox.takeEarlier(taken::add);
    assertEquals(List.of(c), taken);
    assertSame(b, b.next, "passed by takeEarlier(): links to itself");

    Request d = call();
    inbox.enqueue(d); // behind c, the head and the tail
    assertSame(d, c.next);
    assertSame(d, inbox.poll());
    assertSame(c, c.next);
  }
}

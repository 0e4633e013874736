package io.kworker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kworker.Work;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A push that wins the lane's batch submits it only at {@link Lane#submitDue}, once the call that pushed
 * is answered (the caller's wake-up then does not wait behind the lane thread's); a batch that was due and
 * never submitted, or whose submit failed, must not keep {@link Lane#stopped} from completing.
 */
class LaneSubmitTest {
  private final List<Runnable> submitted = new ArrayList<>();

  private static Ticket ticket(String name) {
    return new Ticket((KthreadWork) Work.of(name, () -> { }), Ticket.QUEUED);
  }

  @Test
  void aPushThatWinsTheBatchSubmitsItOnceAtSubmitDue() {
    Lane lane = new Lane(new WorkerHandle("due"), submitted::add, 16);
    lane.push(ticket("a"));
    lane.push(ticket("b"));
    assertEquals(0, submitted.size(), "submitted before the pushing call was answered");
    lane.submitDue();
    lane.submitDue();
    assertEquals(1, submitted.size());
    assertSame(lane, submitted.get(0));
  }

  @Test
  void closeCompletesStoppedWhenABatchWasDueButNeverSubmitted() {
    Lane lane = new Lane(new WorkerHandle("due-close"), submitted::add, 16);
    lane.push(ticket("a"));
    lane.close();
    assertTrue(lane.stopped().isDone());
    lane.submitDue();
    assertEquals(0, submitted.size(), "a closed lane's due batch was submitted");
  }

  @Test
  void aSubmitThatFailsLeavesTheLaneClosableAndALaterPushRetries() {
    List<Runnable> taken = new ArrayList<>();
    boolean[] fail = {true};
    Lane lane = new Lane(new WorkerHandle("due-fails"), r -> {
      if (fail[0]) {
        throw new IllegalStateException("no thread for you");
      }
      taken.add(r);
    }, 16);
    lane.push(ticket("a"));
    assertThrows(IllegalStateException.class, lane::submitDue);
    fail[0] = false;
    lane.push(ticket("b"));
    lane.submitDue();
    assertEquals(1, taken.size(), "the next push did not retry the batch");
    Lane other = new Lane(new WorkerHandle("due-fails-close"), r -> {
      throw new IllegalStateException("no thread for you");
    }, 16);
    other.push(ticket("a"));
    assertThrows(IllegalStateException.class, other::submitDue);
    other.close();
    assertTrue(other.stopped().isDone());
  }
}

package io.kworker.testing;

import java.util.concurrent.CountDownLatch;

/** Holds a work's run in place: {@link #started} opens when the run begins, {@link #release} lets it end. */
public final class Gate {
  public final CountDownLatch started = new CountDownLatch(1);
  public final CountDownLatch release = new CountDownLatch(1);

  /** Called from inside the work's function. */
  public void pass() {
    started.countDown();
    Await.await(release);
  }

  public void awaitStarted() {
    Await.await(started);
  }

  public void open() {
    release.countDown();
  }
}

package io.kworker;

import io.kworker.internal.WorkCore;
import java.util.Optional;
import java.util.function.Consumer;

final class DelayedWorkImpl extends WorkCore implements DelayedWork {
  private final Consumer<? super DelayedWork> fn;

  DelayedWorkImpl(String name, Consumer<? super DelayedWork> fn) {
    super(name);
    this.fn = fn;
  }

  @Override
  protected void run() {
    fn.accept(this);
  }

  @Override
  public Optional<KWorker> worker() {
    return KWorker.boundTo(this);
  }
}

package io.kworker;

import io.kworker.internal.WorkCore;
import java.util.Optional;
import java.util.function.Consumer;

final class WorkImpl extends WorkCore implements Work {
  private final Consumer<? super Work> fn;

  WorkImpl(String name, Consumer<? super Work> fn) {
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

package io.kworker;

import io.kworker.internal.KthreadWork;
import java.util.Optional;
import java.util.function.Consumer;

/** A work made of a function that receives its own work, as the kernel's {@code func(work)}. */
abstract class FunctionWork<W extends Work> extends KthreadWork {
  private final Consumer<? super W> fn;

  FunctionWork(String name, Consumer<? super W> fn) {
    super(name);
    this.fn = fn;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected final void run() {
    fn.accept((W) this);
  }

  public final Optional<KWorker> worker() {
    return KWorker.boundTo(this);
  }
}

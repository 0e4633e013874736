package io.kworker;

import io.kworker.internal.KthreadWork;
import java.util.Optional;

/** A work made of a function that receives its own work, as the kernel's {@code func(work)}. */
abstract class FunctionWork<W extends Work> extends KthreadWork {
  private final WorkFunction<? super W> fn;

  FunctionWork(String name, WorkFunction<? super W> fn) {
    super(name);
    this.fn = fn;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected final void run() throws Exception {
    fn.run((W) this);
  }

  public final Optional<KWorker> worker() {
    return KWorker.boundTo(this);
  }
}

package io.kworker;

import java.util.function.Consumer;

final class WorkImpl extends FunctionWork<Work> implements Work {
  WorkImpl(String name, Consumer<? super Work> fn) {
    super(name, fn);
  }
}

package dev.bunker.devhost;

import java.lang.reflect.Method;
import java.util.List;

/** A function the host can run: its function.json bindings and the Java method behind them. */
record FunctionSpec(String name, Binding trigger, List<Binding> bindings, Method method,
    List<ParameterBinder> parameters, ClassLoader loader) {

  List<Binding> outputs() {
    return bindings.stream().filter(Binding::isOutput).toList();
  }

  @Override
  public String toString() {
    return name;
  }
}

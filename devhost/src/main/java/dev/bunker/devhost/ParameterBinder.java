package dev.bunker.devhost;

import java.lang.reflect.Type;

/** How one parameter of a function method gets its value, decided once when the app is loaded. */
sealed interface ParameterBinder {
  /** The {@code ExecutionContext}. */
  record Context() implements ParameterBinder {
  }

  /** The trigger's payload (HTTP request, queue message, timer info) converted to {@code type}. */
  record Trigger(Type type) implements ParameterBinder {
  }

  /** An {@code OutputBinding<T>} the host reads after the function returns. */
  record Output(String bindingName) implements ParameterBinder {
  }

  /** {@code @BindingName}: trigger metadata such as a route parameter or the DequeueCount. */
  record Metadata(String key, Type type) implements ParameterBinder {
  }
}

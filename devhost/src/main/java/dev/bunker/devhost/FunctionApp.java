package dev.bunker.devhost;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.OutputBinding;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.FunctionName;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a packaged app directory (one folder with a function.json per function, the app jar and
 * lib/) and resolves every function to its Java method, loaded in a class loader of its own that
 * shares only {@code com.microsoft.azure.functions.*} with the host, as the Java worker does.
 * Everything devhost cannot serve is reported at once, before anything starts.
 */
final class FunctionApp {
  private FunctionApp() {
  }

  static List<FunctionSpec> load(Path appDir, Map<String, String> settings) {
    List<Path> definitions;
    try (Stream<Path> children = Files.list(appDir)) {
      definitions = children.map(dir -> dir.resolve("function.json")).filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new HostConfigurationException("Cannot read app directory " + appDir, e);
    }
    if (definitions.isEmpty()) {
      throw new HostConfigurationException("No function.json found under " + appDir
          + ": build the app first (mvn package) and point devhost at target/azure-functions/<app>");
    }
    Map<Path, ClassLoader> loaders = new HashMap<>();
    List<String> problems = new ArrayList<>();
    List<FunctionSpec> functions = new ArrayList<>();
    for (Path definition : definitions) {
      String name = definition.getParent().getFileName().toString();
      try {
        JsonNode json = Json.MAPPER.readTree(definition.toFile());
        if (json.path("disabled").asBoolean(false)
            || "true".equalsIgnoreCase(settings.get("AzureWebJobs." + name + ".Disabled"))) {
          continue;
        }
        functions.add(resolve(name, definition, json, settings, loaders));
      } catch (HostConfigurationException e) {
        problems.add("Function '" + name + "' (" + definition + "): " + e.getMessage());
      } catch (IOException e) {
        problems.add("Function '" + name + "' (" + definition + "): not valid JSON: " + e.getMessage());
      }
    }
    if (!problems.isEmpty()) {
      throw new HostConfigurationException("devhost cannot serve this app:\n  " + String.join("\n  ", problems));
    }
    return functions;
  }

  private static FunctionSpec resolve(String name, Path definition, JsonNode json, Map<String, String> settings,
      Map<Path, ClassLoader> loaders) {
    if (json.has("retry")) {
      throw new HostConfigurationException("retry policies (function.json \"retry\") are not supported by devhost");
    }
    List<Binding> bindings = new ArrayList<>();
    for (JsonNode node : json.path("bindings")) {
      Binding binding = new Binding(node.path("type").asText(), node.path("direction").asText("in"),
          node.path("name").asText(), node, settings);
      boolean supported = binding.isOutput() ? Binding.OUTPUTS.contains(binding.type())
          : Binding.TRIGGERS.contains(binding.type());
      if (!supported) {
        throw new HostConfigurationException("binding '" + binding.name() + "' of type '" + binding.type()
            + "' (direction " + binding.direction() + ") is not supported by devhost; it serves triggers "
            + Binding.TRIGGERS + " and outputs " + Binding.OUTPUTS);
      }
      bindings.add(binding);
    }
    List<Binding> triggers = bindings.stream().filter(Binding::isTrigger).toList();
    if (triggers.size() != 1) {
      throw new HostConfigurationException("expected exactly one trigger binding, found " + triggers.size());
    }
    String scriptFile = json.path("scriptFile").asText("");
    String entryPoint = json.path("entryPoint").asText("");
    int dot = entryPoint.lastIndexOf('.');
    if (scriptFile.isEmpty() || dot < 1) {
      throw new HostConfigurationException("scriptFile and entryPoint (class.method) are required");
    }
    Path jar = definition.getParent().resolve(scriptFile).normalize();
    if (!Files.isRegularFile(jar)) {
      throw new HostConfigurationException("scriptFile " + jar + " does not exist");
    }
    ClassLoader loader = loaders.computeIfAbsent(jar, FunctionApp::classLoader);
    Class<?> type;
    try {
      type = Class.forName(entryPoint.substring(0, dot), false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new HostConfigurationException("class " + entryPoint.substring(0, dot) + " not found in " + jar
          + " or lib/: " + e);
    }
    Method method = method(type, entryPoint.substring(dot + 1), name);
    List<ParameterBinder> parameters = new ArrayList<>();
    for (Parameter parameter : method.getParameters()) {
      parameters.add(binder(parameter, bindings));
    }
    return new FunctionSpec(name, triggers.get(0), List.copyOf(bindings), method, List.copyOf(parameters), loader);
  }

  private static Method method(Class<?> type, String methodName, String functionName) {
    List<Method> candidates = Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(methodName)).toList();
    List<Method> named = candidates.stream().filter(m -> {
      FunctionName annotation = m.getAnnotation(FunctionName.class);
      return annotation != null && annotation.value().equals(functionName);
    }).toList();
    List<Method> chosen = named.isEmpty() ? candidates : named;
    if (chosen.size() != 1) {
      throw new HostConfigurationException("expected one public method " + type.getName() + "." + methodName
          + ", found " + chosen.size());
    }
    Method method = chosen.get(0);
    if (!Modifier.isStatic(method.getModifiers())) {
      try {
        type.getConstructor();
      } catch (NoSuchMethodException e) {
        throw new HostConfigurationException(type.getName() + " needs a public no-argument constructor");
      }
    }
    return method;
  }

  private static ParameterBinder binder(Parameter parameter, List<Binding> bindings) {
    if (parameter.getType() == ExecutionContext.class) {
      return new ParameterBinder.Context();
    }
    for (Annotation annotation : parameter.getAnnotations()) {
      if (annotation instanceof BindingName) {
        continue;
      }
      String bindingName = annotationName(annotation);
      if (bindingName == null) {
        continue;
      }
      Binding binding = bindings.stream().filter(b -> b.name().equals(bindingName)).findFirst()
          .orElseThrow(() -> new HostConfigurationException("parameter '" + parameter.getName()
              + "' names binding '" + bindingName + "', which function.json does not declare"));
      if (binding.isTrigger()) {
        return new ParameterBinder.Trigger(parameter.getParameterizedType());
      }
      if (binding.isOutput()) {
        if (parameter.getType() != OutputBinding.class) {
          throw new HostConfigurationException("parameter '" + parameter.getName() + "' of output binding '"
              + bindingName + "' must be an OutputBinding<T>");
        }
        return new ParameterBinder.Output(bindingName);
      }
    }
    BindingName metadata = parameter.getAnnotation(BindingName.class);
    if (metadata != null) {
      return new ParameterBinder.Metadata(metadata.value(), parameter.getParameterizedType());
    }
    throw new HostConfigurationException("parameter '" + parameter.getName() + "' of type "
        + parameter.getParameterizedType().getTypeName() + " has no binding annotation devhost understands");
  }

  /** The {@code name()} of a Functions binding annotation (HttpTrigger, QueueOutput, …), if it is one. */
  private static String annotationName(Annotation annotation) {
    if (!annotation.annotationType().getName().startsWith("com.microsoft.azure.functions.annotation.")) {
      return null;
    }
    try {
      Object name = annotation.annotationType().getMethod("name").invoke(annotation);
      return name instanceof String text ? text : null;
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  private static ClassLoader classLoader(Path jar) {
    Set<URL> urls = new LinkedHashSet<>();
    try {
      urls.add(jar.toUri().toURL());
      Path lib = jar.getParent().resolve("lib");
      if (Files.isDirectory(lib)) {
        try (Stream<Path> jars = Files.list(lib)) {
          for (Path dependency : jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
            urls.add(dependency.toUri().toURL());
          }
        }
      }
    } catch (IOException e) {
      throw new HostConfigurationException("Cannot read " + jar.getParent().resolve("lib"), e);
    }
    return new AppClassLoader(urls.toArray(URL[]::new), FunctionApp.class.getClassLoader());
  }

  /** Child-first for the app's own classes and libraries; the Functions API types come from the host. */
  private static final class AppClassLoader extends URLClassLoader {
    private static final String SHARED = "com.microsoft.azure.functions.";
    private final ClassLoader host;

    AppClassLoader(URL[] urls, ClassLoader host) {
      super("function-app", urls, ClassLoader.getPlatformClassLoader());
      this.host = host;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith(SHARED)) {
        return host.loadClass(name);
      }
      return super.loadClass(name, resolve);
    }
  }
}

package chat.system.cluster;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The Kubernetes manifests of {@code k8s/}, parsed: every document of every YAML file, with where it came from. */
final class Manifests {
  record Doc(Path file, Map<String, Object> body) {
    String kind() {
      return (String) body.get("kind");
    }

    String name() {
      return Manifests.string(body, "metadata", "name");
    }
  }

  private final List<Doc> docs;

  private Manifests(List<Doc> docs) {
    this.docs = docs;
  }

  static List<Path> yamlFiles(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses every YAML file under {@code dir}; a file that is not valid YAML fails with its name. */
  @SuppressWarnings("unchecked")
  static Manifests load(Path dir) {
    List<Doc> docs = new ArrayList<>();
    for (Path file : yamlFiles(dir)) {
      Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
      try (Reader in = Files.newBufferedReader(file)) {
        for (Object doc : yaml.loadAll(in)) {
          if (doc != null) {
            docs.add(new Doc(file, (Map<String, Object>) doc));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        throw new AssertionError(file + " is not valid YAML: " + e.getMessage(), e);
      }
    }
    return new Manifests(docs);
  }

  List<Doc> all() {
    return docs;
  }

  List<Doc> ofKind(String kind) {
    return docs.stream().filter(d -> kind.equals(d.kind())).toList();
  }

  Doc get(String kind, String name) {
    return docs.stream().filter(d -> kind.equals(d.kind()) && name.equals(d.name())).findFirst()
        .orElseThrow(() -> new AssertionError("No " + kind + " named " + name + " in k8s/"));
  }

  @SuppressWarnings("unchecked")
  static Object at(Object node, Object... path) {
    Object cur = node;
    for (Object key : path) {
      if (cur instanceof Map<?, ?> m) {
        cur = m.get(key);
      } else if (cur instanceof List<?> l && key instanceof Integer i) {
        cur = i < l.size() ? l.get(i) : null;
      } else {
        return null;
      }
    }
    return cur;
  }

  static String string(Object node, Object... path) {
    Object v = at(node, path);
    return v == null ? null : String.valueOf(v);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node, Object... path) {
    Object v = at(node, path);
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object node, Object... path) {
    Object v = at(node, path);
    return v instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }
}

package chat.unread;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Named SQL statements from one classpath resource: each statement starts with a line
 * {@code -- name: <name>} and runs to the next such line. Loaded once, at class initialisation of
 * the store that uses it.
 */
final class SqlFile {
  private static final String MARKER = "-- name:";

  private final String resource;
  private final Map<String, String> statements;

  private SqlFile(String resource, Map<String, String> statements) {
    this.resource = resource;
    this.statements = statements;
  }

  static SqlFile load(String resource) {
    Map<String, String> statements = new HashMap<>();
    String name = null;
    StringBuilder sql = new StringBuilder();
    for (String line : read(resource).split("\n", -1)) {
      if (line.startsWith(MARKER)) {
        put(statements, name, sql);
        name = line.substring(MARKER.length()).trim();
        sql.setLength(0);
      } else if (name != null) {
        sql.append(line).append('\n');
      }
    }
    put(statements, name, sql);
    return new SqlFile(resource, Map.copyOf(statements));
  }

  String get(String name) {
    String sql = statements.get(name);
    if (sql == null) {
      throw new IllegalStateException("No statement '" + name + "' in " + resource);
    }
    return sql;
  }

  private static void put(Map<String, String> statements, String name, StringBuilder sql) {
    if (name != null) {
      statements.put(name, sql.toString().strip());
    }
  }

  private static String read(String resource) {
    try (InputStream in = SqlFile.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("Missing SQL resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

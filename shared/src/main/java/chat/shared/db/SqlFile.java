package chat.shared.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named SQL statements kept in one classpath resource, loaded once. Each statement starts with a
 * line {@code -- name: <name>} and runs to the next such line; other comment lines are kept as
 * they are (Postgres ignores them). A missing resource or name fails fast at start-up.
 */
public final class SqlFile {
  private static final String MARKER = "-- name:";

  private final String resource;
  private final Map<String, String> statements;

  private SqlFile(String resource, Map<String, String> statements) {
    this.resource = resource;
    this.statements = statements;
  }

  /** Loads {@code resource} (a classpath path such as {@code chat/messaging/queries.sql}). */
  public static SqlFile load(String resource) {
    return new SqlFile(resource, parse(read(resource)));
  }

  /** The statement named {@code name}; throws if the file has no such section. */
  public String get(String name) {
    String sql = statements.get(name);
    if (sql == null) {
      throw new IllegalArgumentException("No statement '" + name + "' in " + resource);
    }
    return sql;
  }

  public Map<String, String> all() {
    return statements;
  }

  static Map<String, String> parse(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    String name = null;
    StringBuilder sql = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith(MARKER)) {
        put(out, name, sql);
        name = trimmed.substring(MARKER.length()).strip();
        sql.setLength(0);
      } else if (name != null && !trimmed.isEmpty()) {
        sql.append(line.stripTrailing()).append('\n');
      }
    }
    put(out, name, sql);
    return Map.copyOf(out);
  }

  private static void put(Map<String, String> out, String name, StringBuilder sql) {
    if (name == null) {
      return;
    }
    String statement = sql.toString().strip();
    if (statement.endsWith(";")) {
      statement = statement.substring(0, statement.length() - 1).stripTrailing();
    }
    if (name.isEmpty() || statement.isEmpty() || out.put(name, statement) != null) {
      throw new IllegalStateException("Empty or duplicate SQL section '" + name + "'");
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

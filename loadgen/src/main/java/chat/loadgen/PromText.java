package chat.loadgen;

/** Reads single figures out of Prometheus text exposition. */
public final class PromText {
  private PromText() {}

  /**
   * The sum of every sample of {@code metric} whose labels contain {@code labelMatch} (e.g.
   * {@code area="heap"}), or -1 when there is none.
   */
  public static double sum(String text, String metric, String labelMatch) {
    double total = 0;
    boolean found = false;
    for (String line : text.split("\n")) {
      if (line.startsWith("#") || !line.startsWith(metric)) {
        continue;
      }
      int rest = metric.length();
      if (rest < line.length() && line.charAt(rest) != '{' && line.charAt(rest) != ' ') {
        continue;
      }
      int close = line.lastIndexOf('}');
      String labels = close > rest ? line.substring(rest, close + 1) : "";
      if (labelMatch != null && !labels.contains(labelMatch)) {
        continue;
      }
      String[] value = line.substring(close > rest ? close + 1 : rest).trim().split("\\s+");
      try {
        total += Double.parseDouble(value[0]);
        found = true;
      } catch (NumberFormatException e) {
        // a sample we cannot read is not counted
      }
    }
    return found ? total : -1;
  }
}

package chat.presence;

/** The result of a join: the thread's lists right after it, and what it changed. */
public record Joined(Snapshot snapshot, Changes changes) {}

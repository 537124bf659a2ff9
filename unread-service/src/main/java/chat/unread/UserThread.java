package chat.unread;

/** A (user, thread) pair whose unread count may have changed. */
public record UserThread(String userId, String threadId) {}

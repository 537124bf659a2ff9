package chat.messaging;

import chat.shared.protocol.Messaging;
import chat.shared.protocol.Messaging.History;
import chat.shared.protocol.Messaging.HistoryPage;
import io.vertx.core.Future;

/**
 * {@link Messaging#MESSAGE_HISTORY}: a page by seq, oldest first. {@code afterSeq} pages forward
 * (the first {@code limit} messages above it), {@code beforeSeq} alone pages backward (the
 * {@code limit} messages just below it), neither gives the newest page, both a range read forward
 * from {@code afterSeq}; {@code changedAfter} alone pages forward by version (every change above it).
 * {@code hasMore} says more exist in the paging direction.
 */
final class HistoryHandler {
  private final MessageStore store;

  HistoryHandler(MessageStore store) {
    this.store = store;
  }

  Future<HistoryPage> history(History req) {
    return store.history(new MessageStore.HistoryQuery(
            req.threadId(), req.userId(), req.afterSeq(), req.beforeSeq(), req.pageSize(), req.changedAfter()))
        .map(page -> new HistoryPage(page.messages(), page.hasMore()));
  }
}

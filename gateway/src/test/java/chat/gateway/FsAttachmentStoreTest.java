package chat.gateway;

import io.vertx.core.Vertx;

/** {@link AttachmentStoreContract} on {@link FsAttachmentStore}, in a scratch directory. */
class FsAttachmentStoreTest extends AttachmentStoreContract {
  @Override
  protected AttachmentStore createStore(Vertx vertx) {
    return new FsAttachmentStore(vertx, scratch.resolve("store"));
  }
}

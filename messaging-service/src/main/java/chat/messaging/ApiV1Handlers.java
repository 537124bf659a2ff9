package chat.messaging;

import chat.api.v1.ApiV1;
import chat.api.v1.ApiV1.AddMember;
import chat.api.v1.ApiV1.AddMemberReply;
import chat.api.v1.ApiV1.CreateThread;
import chat.api.v1.ApiV1.DeleteMessage;
import chat.api.v1.ApiV1.DeleteReply;
import chat.api.v1.ApiV1.EditMessage;
import chat.api.v1.ApiV1.EditReply;
import chat.api.v1.ApiV1.GetHistory;
import chat.api.v1.ApiV1.GetThread;
import chat.api.v1.ApiV1.HistoryPage;
import chat.api.v1.ApiV1.RemoveMember;
import chat.api.v1.ApiV1.RemoveMemberReply;
import chat.api.v1.ApiV1.SendMessage;
import chat.api.v1.ApiV1.SendReply;
import chat.api.v1.ApiV1.ThreadReply;
import chat.api.v1.ApiV1.UpsertUser;
import chat.api.v1.ApiV1.UserReply;
import chat.shared.protocol.Messaging;
import io.vertx.core.Future;

/**
 * messaging-service's part of the service API ({@link ApiV1}): each v1 request becomes the internal request
 * of the same meaning, run by the same handler as the gateway's, so a service has exactly a member's rights
 * and its changes raise the same events. Only {@code via} differs: a v1 send stores it on the message.
 */
record ApiV1Handlers(UserHandler users, ThreadHandler threads, MemberHandler members, SendHandler send, HistoryHandler history,
    ChangeHandler changes) {
  Future<UserReply> upsertUser(UpsertUser req) {
    return users.upsert(new Messaging.UpsertUser(req.userId(), req.name())).map(u -> new UserReply(u.userId()));
  }

  Future<ThreadReply> createThread(CreateThread req) {
    return threads.create(new Messaging.CreateThread(req.userId(), req.title(), req.memberIds())).map(ThreadReply::new);
  }

  Future<ThreadReply> thread(GetThread req) {
    return threads.get(req.userId(), req.threadId()).map(ThreadReply::new);
  }

  Future<AddMemberReply> addMember(AddMember req) {
    return members.add(new Messaging.ChangeMember(req.userId(), req.threadId(), req.memberId()))
        .map(added -> new AddMemberReply(added.added(), added.thread()));
  }

  Future<RemoveMemberReply> removeMember(RemoveMember req) {
    return members.remove(new Messaging.ChangeMember(req.userId(), req.threadId(), req.memberId()))
        .map(removal -> new RemoveMemberReply(removal.removed()));
  }

  Future<SendReply> send(SendMessage req) {
    return send.send(new Messaging.SendMessage(req.userId(), req.threadId(), req.body(), req.clientMessageId(), req.via()))
        .map(sent -> new SendReply(sent.message(), sent.created()));
  }

  Future<HistoryPage> history(GetHistory req) {
    return history.history(new Messaging.History(req.userId(), req.threadId(), req.beforeSeq(), req.afterSeq(), req.limit(),
            req.changedAfter()))
        .map(page -> new HistoryPage(page.messages(), page.hasMore()));
  }

  Future<EditReply> edit(EditMessage req) {
    return changes.edit(new Messaging.EditMessage(req.userId(), req.threadId(), req.messageId(), req.body()))
        .map(edited -> new EditReply(edited.message(), edited.changed()));
  }

  Future<DeleteReply> delete(DeleteMessage req) {
    return changes.delete(new Messaging.DeleteMessage(req.userId(), req.threadId(), req.messageId()))
        .map(deleted -> new DeleteReply(deleted.deleted()));
  }

  Future<ThreadReply> rename(ApiV1.RenameThread req) {
    return threads.rename(new Messaging.RenameThread(req.userId(), req.threadId(), req.title())).map(ThreadReply::new);
  }

  Future<ApiV1.RoleReply> changeRole(ApiV1.ChangeRole req) {
    return members.changeRole(new Messaging.ChangeRole(req.userId(), req.threadId(), req.memberId(), req.role()))
        .map(r -> new ApiV1.RoleReply(r.userId(), r.role(), r.changed()));
  }

  Future<ApiV1.MuteReply> mute(ApiV1.MuteThread req) {
    return members.mute(new Messaging.SetMute(req.userId(), req.threadId(), req.muted()))
        .map(r -> new ApiV1.MuteReply(r.muted()));
  }
}

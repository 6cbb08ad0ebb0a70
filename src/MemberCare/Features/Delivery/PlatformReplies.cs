using System.Text.Json.Nodes;
using MemberCare.Channels;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Delivery;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Delivery;

/// <summary>
/// An agent's reply on a Meta or X conversation leaves through the platform's API: the call is composed here, when
/// the reply is written, and queued in the outbox in the same transaction; the worker sends it and the reply's
/// delivery status follows (sending, sent, failed).
/// </summary>
public sealed class PlatformReplies(IOptionsMonitor<ChannelsOptions> channels, TimeProvider time)
{
    public const string EventType = "conversation.reply";

    public static bool Handles(Channel channel) => channel is Channel.Facebook or Channel.Instagram or Channel.Messenger or Channel.X;

    /// <summary>Queues the reply (already saved, so it has an id) when its channel is a platform's; saves what it adds.</summary>
    public async Task EnqueueAsync(MemberCareDb db, Conversation conversation, Message reply, CancellationToken ct)
    {
        if (reply.Direction != MessageDirection.Outbound || !Handles(conversation.Channel))
        {
            return;
        }
        var lastInbound = await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversation.Id && m.Direction == MessageDirection.Inbound && m.ExternalId != null)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id)
            .Select(m => m.ExternalId)
            .FirstOrDefaultAsync(ct);
        var handle = await db.CustomerIdentities.AsNoTracking()
            .Where(i => i.CustomerId == conversation.CustomerId && i.Channel == conversation.Channel)
            .Select(i => i.Handle)
            .FirstOrDefaultAsync(ct);
        var call = Compose(conversation.Channel, conversation.ThreadKey, lastInbound, handle, reply.Text);
        if (call is null)
        {
            reply.DeliveryFailed("Nothing to reply to: the conversation has neither a customer id on the platform nor a message from it.");
            await db.SaveChangesAsync(ct);
            return;
        }
        var target = await TargetAsync(db, conversation.Channel == Channel.X ? DeliveryKind.XApi : DeliveryKind.MetaGraph, ct);
        reply.DeliverySending();
        db.Outbox.Add(new OutboxMessage(target.Id, EventType, null, call.ToJsonString(), time.GetUtcNow(), reply.Id));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The platform call for a reply: a direct message to the customer's id (Messenger, Instagram and X DMs), or a
    /// reply under the customer's latest comment or post (Facebook and Instagram comments, X mentions).
    /// </summary>
    internal static JsonObject? Compose(Channel channel, string? threadKey, string? lastInboundId, string? customerHandle, string text)
    {
        var direct = threadKey is null || threadKey == "dm" || threadKey.StartsWith("dm:", StringComparison.Ordinal) || channel == Channel.Messenger;
        var recipient = threadKey is not null && threadKey.StartsWith("dm:", StringComparison.Ordinal) ? threadKey[3..] : customerHandle;
        switch (channel)
        {
            case Channel.X when direct && recipient is not null:
                return Call($"2/dm_conversations/with/{Uri.EscapeDataString(recipient)}/messages", new JsonObject { ["text"] = text });
            case Channel.X when !direct && lastInboundId is not null:
                return Call("2/tweets", new JsonObject { ["text"] = text, ["reply"] = new JsonObject { ["in_reply_to_tweet_id"] = lastInboundId } });
            case Channel.Messenger or Channel.Instagram or Channel.Facebook when direct && recipient is not null:
                return Call("me/messages", new JsonObject
                {
                    ["recipient"] = new JsonObject { ["id"] = recipient },
                    ["messaging_type"] = "RESPONSE",
                    ["message"] = new JsonObject { ["text"] = text },
                });
            case Channel.Instagram when !direct && lastInboundId is not null:
                return Call($"{Uri.EscapeDataString(lastInboundId)}/replies", new JsonObject { ["message"] = text });
            case Channel.Facebook when !direct && lastInboundId is not null:
                return Call($"{Uri.EscapeDataString(lastInboundId)}/comments", new JsonObject { ["message"] = text });
            default:
                return null;
        }

        static JsonObject Call(string path, JsonObject payload) => new() { ["path"] = path, ["payload"] = payload };
    }

    private async Task<DeliveryTarget> TargetAsync(MemberCareDb db, DeliveryKind kind, CancellationToken ct)
    {
        var existing = await db.DeliveryTargets.FirstOrDefaultAsync(t => t.Kind == kind, ct);
        if (existing is not null)
        {
            return existing;
        }
        var address = kind == DeliveryKind.XApi ? channels.CurrentValue.X.ApiBaseUrl : channels.CurrentValue.Meta.GraphBaseUrl;
        var target = new DeliveryTarget(kind == DeliveryKind.XApi ? "X API" : "Meta Graph API", kind, address.AbsoluteUri, protectedSecret: null);
        db.DeliveryTargets.Add(target);
        await db.SaveChangesAsync(ct);
        return target;
    }
}

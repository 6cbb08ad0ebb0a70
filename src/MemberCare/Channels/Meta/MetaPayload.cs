using System.Text.Json;
using MemberCare.Channels.Webhooks;
using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Features.Intake;
using static MemberCare.Channels.Webhooks.WebhookJson;

namespace MemberCare.Channels.Meta;

/// <summary>
/// Reads a Graph API webhook body: <c>{"object": "page" | "instagram", "entry": [{id, time, messaging | changes}]}</c>.
/// Comments thread by post or media; direct messages by sender. The page's or account's own posts are not customer messages.
/// </summary>
public static class MetaPayload
{
    public static WebhookWork Parse(byte[] body, DateTimeOffset now)
    {
        using var document = WebhookJson.Parse(body);
        var root = document.RootElement;
        RequireObject(root, "$");
        var objectType = RequiredString(root, "object", "$", 64);
        if (objectType is not ("page" or "instagram"))
        {
            throw new WebhookPayloadException($"'$.object' is '{Shorten(objectType)}'; this endpoint takes 'page' and 'instagram'.");
        }
        var instagram = objectType == "instagram";
        var messages = new List<InboundMessage>();
        var ignored = 0;
        var entries = WebhookJson.Array(root, "entry", "$", required: true);
        for (var e = 0; e < entries.Count; e++)
        {
            var entry = entries[e];
            var path = $"$.entry[{e}]";
            RequireObject(entry, path);
            var ownId = Id(entry, "id", path);
            var entryTime = OptionalUnixTime(entry, "time", path) ?? now;

            var messaging = WebhookJson.Array(entry, "messaging", path, required: false);
            for (var m = 0; m < messaging.Count; m++)
            {
                var message = DirectMessage(messaging[m], $"{path}.messaging[{m}]", ownId, instagram ? Channel.Instagram : Channel.Messenger, entryTime);
                if (message is null)
                {
                    ignored++;
                }
                else
                {
                    messages.Add(message);
                }
            }

            var changes = WebhookJson.Array(entry, "changes", path, required: false);
            for (var c = 0; c < changes.Count; c++)
            {
                var change = changes[c];
                var changePath = $"{path}.changes[{c}]";
                RequireObject(change, changePath);
                var field = RequiredString(change, "field", changePath, 64);
                var value = RequiredObject(change, "value", changePath);
                var message = (instagram, field) switch
                {
                    (false, "feed") => FeedComment(value, changePath + ".value", ownId, entryTime),
                    (true, "comments" or "live_comments") => InstagramComment(value, changePath + ".value", ownId, entryTime),
                    _ => null,
                };
                if (message is null)
                {
                    ignored++;
                }
                else
                {
                    messages.Add(message);
                }
            }
        }
        return new WebhookWork($"{objectType}: {messages.Count} message(s), {ignored} event(s) ignored", messages);
    }

    private static InboundMessage? DirectMessage(JsonElement ev, string path, string ownId, Channel channel, DateTimeOffset entryTime)
    {
        RequireObject(ev, path);
        var message = OptionalObject(ev, "message", path);
        if (message is not { } m)
        {
            return null;
        }
        var senderId = Id(RequiredObject(ev, "sender", path), "id", path + ".sender");
        if (senderId == ownId || Property(m, "is_echo") is { ValueKind: JsonValueKind.True })
        {
            return null;
        }
        var mid = Id(m, "mid", path + ".message");
        var text = OptionalString(m, "text", path + ".message", int.MaxValue);
        var attachments = WebhookJson.Array(m, "attachments", path + ".message", required: false);
        var parts = new List<string>();
        if (text is not null)
        {
            parts.Add(text);
        }
        for (var a = 0; a < attachments.Count; a++)
        {
            var attachmentPath = $"{path}.message.attachments[{a}]";
            RequireObject(attachments[a], attachmentPath);
            var type = Text(attachments[a], "type", attachmentPath, 40) ?? "attachment";
            var url = OptionalObject(attachments[a], "payload", attachmentPath) is { } payload ? Text(payload, "url", attachmentPath + ".payload", 2000) : null;
            parts.Add(url is null ? $"[{type}]" : $"[{type}] {url}");
        }
        if (parts.Count == 0)
        {
            throw new WebhookPayloadException($"'{path}.message' has neither text nor attachments.");
        }
        var sentAt = OptionalUnixTime(ev, "timestamp", path) ?? entryTime;
        return Message(channel, mid, senderId, name: null, string.Join("\n", parts), sentAt, threadKey: "dm:" + senderId, ev);
    }

    private static InboundMessage? FeedComment(JsonElement value, string path, string pageId, DateTimeOffset entryTime)
    {
        if (OptionalString(value, "item", path, 64) != "comment" || OptionalString(value, "verb", path, 64) != "add")
        {
            return null;
        }
        var from = RequiredObject(value, "from", path);
        var authorId = Id(from, "id", path + ".from");
        if (authorId == pageId)
        {
            return null;
        }
        var text = OptionalString(value, "message", path, int.MaxValue)
            ?? throw new WebhookPayloadException($"'{path}.message' is required for a comment.");
        return Message(Channel.Facebook, Id(value, "comment_id", path), authorId, Text(from, "name", path + ".from", 200), text,
            OptionalUnixTime(value, "created_time", path) ?? entryTime, threadKey: Id(value, "post_id", path), value);
    }

    private static InboundMessage? InstagramComment(JsonElement value, string path, string accountId, DateTimeOffset entryTime)
    {
        var from = RequiredObject(value, "from", path);
        var authorId = Id(from, "id", path + ".from");
        if (authorId == accountId)
        {
            return null;
        }
        var media = RequiredObject(value, "media", path);
        var text = OptionalString(value, "text", path, int.MaxValue)
            ?? throw new WebhookPayloadException($"'{path}.text' is required for a comment.");
        return Message(Channel.Instagram, Id(value, "id", path), authorId, Text(from, "username", path + ".from", 200), text,
            entryTime, threadKey: Id(media, "id", path + ".media"), value);
    }

    private static InboundMessage Message(Channel channel, string externalId, string authorId, string? name, string text, DateTimeOffset sentAt, string threadKey, JsonElement raw) =>
        new(channel, externalId, new CustomerReference(name, Email: null, Handle: authorId), FitText(text), sentAt,
            ThreadKey: threadKey.Length > 200 ? threadKey[..200] : threadKey, RawPayload: raw.GetRawText());

    internal static string FitText(string text) => text.Length > Conversation.MaxTextLength ? text[..Conversation.MaxTextLength] : text;
}

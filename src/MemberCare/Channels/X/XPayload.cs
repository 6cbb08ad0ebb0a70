using System.Globalization;
using System.Text.Json;
using MemberCare.Channels.Meta;
using MemberCare.Channels.Webhooks;
using MemberCare.Domain;
using MemberCare.Domain.Storage;
using MemberCare.Features.Intake;
using Microsoft.EntityFrameworkCore;
using static MemberCare.Channels.Webhooks.WebhookJson;

namespace MemberCare.Channels.X;

/// <summary>
/// Reads an Account Activity body. Ids come from <c>id_str</c> (and DM ids, which are strings): the numeric <c>id</c>
/// has passed through a double on X's side and is already rounded. The subscribed account's own posts are not messages.
/// </summary>
public static class XPayload
{
    private static readonly string[] s_createdAtFormats = ["ddd MMM dd HH:mm:ss zzz yyyy", "ddd MMM dd HH:mm:ss '+0000' yyyy"];

    public static WebhookWork Parse(byte[] body, DateTimeOffset now)
    {
        using var document = WebhookJson.Parse(body);
        var root = document.RootElement;
        RequireObject(root, "$");
        var ownId = Id(root, "for_user_id", "$");
        var messages = new List<InboundMessage>();
        var skipped = 0;

        var tweets = WebhookJson.Array(root, "tweet_create_events", "$", required: false);
        for (var i = 0; i < tweets.Count; i++)
        {
            var message = Tweet(tweets[i], $"$.tweet_create_events[{i}]", ownId, now);
            if (message is null)
            {
                skipped++;
            }
            else
            {
                messages.Add(message);
            }
        }

        var users = OptionalObject(root, "users", "$");
        var directMessages = WebhookJson.Array(root, "direct_message_events", "$", required: false);
        for (var i = 0; i < directMessages.Count; i++)
        {
            var message = DirectMessage(directMessages[i], $"$.direct_message_events[{i}]", ownId, users, now);
            if (message is null)
            {
                skipped++;
            }
            else
            {
                messages.Add(message);
            }
        }

        var deletions = WebhookJson.Array(root, "tweet_delete_events", "$", required: false);
        var deletedIds = new List<string>();
        for (var i = 0; i < deletions.Count; i++)
        {
            var path = $"$.tweet_delete_events[{i}]";
            RequireObject(deletions[i], path);
            deletedIds.Add(Id(RequiredObject(deletions[i], "status", path), "id", path + ".status"));
        }

        var outcome = $"x: {messages.Count} message(s), {skipped} own or other event(s) skipped, {deletedIds.Count} deletion(s)";
        return new WebhookWork(outcome, messages, deletedIds.Count == 0 ? null : (db, at, ct) => WithdrawAsync(db, deletedIds, at, ct));
    }

    /// <summary>The author deleted posts: their text goes, the message rows and this delivery remain as the audit record.</summary>
    private static async Task<string> WithdrawAsync(MemberCareDb db, List<string> tweetIds, DateTimeOffset at, CancellationToken ct)
    {
        var stored = await db.Messages.Where(m => m.Channel == Channel.X && m.ExternalId != null && tweetIds.Contains(m.ExternalId)).ToListAsync(ct);
        foreach (var message in stored)
        {
            var conversation = await db.Conversations.FirstAsync(c => c.Id == message.ConversationId, ct);
            conversation.WithdrawMessage(message, at);
        }
        await db.SaveChangesAsync(ct);
        var missing = tweetIds.Except(stored.Select(m => m.ExternalId!)).ToList();
        return $"withdrew {stored.Count} stored post(s)" + (missing.Count > 0 ? $"; not stored here: {string.Join(", ", missing.Take(20))}" : "");
    }

    private static InboundMessage? Tweet(JsonElement tweet, string path, string ownId, DateTimeOffset now)
    {
        RequireObject(tweet, path);
        var id = Id(tweet, "id_str", path);
        var user = RequiredObject(tweet, "user", path);
        var authorId = Id(user, "id_str", path + ".user");
        if (authorId == ownId || Property(tweet, "retweeted_status") is not null)
        {
            return null;
        }
        var text = (OptionalObject(tweet, "extended_tweet", path) is { } extended ? OptionalString(extended, "full_text", path + ".extended_tweet", int.MaxValue) : null)
            ?? OptionalString(tweet, "text", path, int.MaxValue)
            ?? throw new WebhookPayloadException($"'{path}.text' is required.");
        var name = Text(user, "name", path + ".user", 200) ?? Text(user, "screen_name", path + ".user", 200);
        return new InboundMessage(Channel.X, id, new CustomerReference(name, Email: null, Handle: authorId), MetaPayload.FitText(text),
            CreatedAt(tweet, path) ?? OptionalUnixTime(tweet, "timestamp_ms", path) ?? now, ThreadKey: "public", RawPayload: tweet.GetRawText());
    }

    private static InboundMessage? DirectMessage(JsonElement ev, string path, string ownId, JsonElement? users, DateTimeOffset now)
    {
        RequireObject(ev, path);
        if (OptionalString(ev, "type", path, 64) != "message_create")
        {
            return null;
        }
        var id = Id(ev, "id", path);
        var create = RequiredObject(ev, "message_create", path);
        var senderId = Id(create, "sender_id", path + ".message_create");
        if (senderId == ownId)
        {
            return null;
        }
        var data = RequiredObject(create, "message_data", path + ".message_create");
        var text = OptionalString(data, "text", path + ".message_create.message_data", int.MaxValue)
            ?? throw new WebhookPayloadException($"'{path}.message_create.message_data.text' is required.");
        string? name = null;
        if (users is { } u && OptionalObject(u, senderId, "$.users") is { } sender)
        {
            name = Text(sender, "name", $"$.users.{senderId}", 200) ?? Text(sender, "screen_name", $"$.users.{senderId}", 200);
        }
        // DM and post ids share X's id space; the prefix keeps a DM from ever matching a post deletion.
        return new InboundMessage(Channel.X, "dm:" + id, new CustomerReference(name, Email: null, Handle: senderId), MetaPayload.FitText(text),
            OptionalUnixTime(ev, "created_timestamp", path) ?? now, ThreadKey: "dm", RawPayload: ev.GetRawText());
    }

    private static DateTimeOffset? CreatedAt(JsonElement tweet, string path)
    {
        var text = OptionalString(tweet, "created_at", path, 64);
        if (text is null)
        {
            return null;
        }
        return DateTimeOffset.TryParseExact(text, s_createdAtFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : throw new WebhookPayloadException($"'{path}.created_at' must look like 'Mon May 19 14:01:46 +0000 2025', not '{Shorten(text)}'.");
    }
}

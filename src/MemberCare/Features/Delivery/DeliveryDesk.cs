using MemberCare.Domain.Delivery;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Delivery;

public sealed record TargetInput(string Name, DeliveryKind Kind, string Address, string? Secret);

/// <summary>A target as an administrator sees it: the secret only masked, and how its messages fare.</summary>
public sealed record TargetView(long Id, string Name, DeliveryKind Kind, string Address, string? Secret, int Pending, int Failing, int Delivered, int Dead);

/// <summary>NewSecret is the generated signing secret, shown this once; it is never shown in full again.</summary>
public sealed record TargetSaved(TargetView Target, string? NewSecret);

public sealed record OutboxView(long Id, string WebhookId, long TargetId, string EventType, string? Subject, OutboxStatus Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt, string? LastError, long? MessageId);

public enum DeskResult
{
    Done,
    NotFound,
    Invalid,
    Conflict,
}

/// <summary>What an administrator does with delivery: targets (checked against SSRF), the outbox, the dead letters.</summary>
public sealed class DeliveryDesk(IDbContextFactory<MemberCareDb> dbFactory, TargetSecrets secrets, OutboundAddressGuard guard, TimeProvider time)
{
    public async Task<IReadOnlyList<TargetView>> TargetsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var targets = await db.DeliveryTargets.AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Id).ToListAsync(ct);
        var counts = await db.Outbox.AsNoTracking()
            .GroupBy(m => new { m.TargetId, m.Status, Failing = m.Attempts > 0 })
            .Select(g => new { g.Key.TargetId, g.Key.Status, g.Key.Failing, Count = g.Count() })
            .ToListAsync(ct);
        return [.. targets.Select(t =>
        {
            int Count(OutboxStatus status, bool? failing = null) =>
                counts.Where(c => c.TargetId == t.Id && c.Status == status && (failing is null || c.Failing == failing)).Sum(c => c.Count);
            return View(t, Count(OutboxStatus.Pending), Count(OutboxStatus.Pending, failing: true), Count(OutboxStatus.Delivered), Count(OutboxStatus.Dead));
        })];
    }

    public async Task<(DeskResult Result, string? Error, TargetSaved? Saved)> SaveTargetAsync(long? id, TargetInput input, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Length > 100)
        {
            return (DeskResult.Invalid, "A name is 1 to 100 characters.", null);
        }
        if (input.Kind is DeliveryKind.MetaGraph or DeliveryKind.XApi)
        {
            return (DeskResult.Invalid, "Platform targets are made by the channels; their address is Channels:Meta:GraphBaseUrl or Channels:X:ApiBaseUrl.", null);
        }
        if (string.IsNullOrWhiteSpace(input.Address) || input.Address.Length > DeliveryTarget.MaxAddressLength)
        {
            return (DeskResult.Invalid, "An address is required.", null);
        }
        if (input.Kind == DeliveryKind.Email)
        {
            if (!MimeKit.MailboxAddress.TryParse(input.Address, out var mailbox) || !mailbox.Address.Contains('@', StringComparison.Ordinal))
            {
                return (DeskResult.Invalid, "An e-mail target's address is an e-mail address.", null);
            }
        }
        else if (await guard.CheckUrlAsync(input.Address.Trim(), ct) is { } refused)
        {
            return (DeskResult.Invalid, refused, null);
        }
        if (input.Secret is { } given && input.Kind == DeliveryKind.Webhook && !IsWebhookSecret(given))
        {
            return (DeskResult.Invalid, "A webhook secret is whsec_ followed by base64 of 24 to 64 bytes.", null);
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        DeliveryTarget target;
        string? generated = null;
        if (id is { } existingId)
        {
            var found = await db.DeliveryTargets.FirstOrDefaultAsync(t => t.Id == existingId, ct);
            if (found is null)
            {
                return (DeskResult.NotFound, null, null);
            }
            target = found;
            var protectedSecret = input.Secret is { } s ? secrets.Protect(s) : target.ProtectedSecret;
            if (input.Kind == DeliveryKind.Webhook && protectedSecret is null)
            {
                generated = TargetSecrets.NewWebhookSecret();
                protectedSecret = secrets.Protect(generated);
            }
            target.Change(input.Kind, input.Address, protectedSecret);
            target.Rename(input.Name.Trim());
        }
        else
        {
            var secret = input.Secret;
            if (secret is null && input.Kind == DeliveryKind.Webhook)
            {
                secret = generated = TargetSecrets.NewWebhookSecret();
            }
            target = new DeliveryTarget(input.Name.Trim(), input.Kind, input.Address, secret is null ? null : secrets.Protect(secret));
            db.DeliveryTargets.Add(target);
        }
        await db.SaveChangesAsync(ct);
        return (DeskResult.Done, null, new TargetSaved(View(target, 0, 0, 0, 0), generated));
    }

    /// <summary>Queues a small test message to the target; it goes out like any other, through the worker.</summary>
    public async Task<(DeskResult Result, OutboxView? Message)> SendTestAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var target = await db.DeliveryTargets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (target is null)
        {
            return (DeskResult.NotFound, null);
        }
        if (target.Kind is DeliveryKind.MetaGraph or DeliveryKind.XApi)
        {
            return (DeskResult.Invalid, null);
        }
        var now = time.GetUtcNow();
        var body = System.Text.Json.JsonSerializer.Serialize(new { type = "delivery.test", target = target.Name, sentAt = now }, OutboundSender.Json);
        var message = new OutboxMessage(target.Id, "delivery.test", "MemberCare test message", body, now);
        db.Outbox.Add(message);
        await db.SaveChangesAsync(ct);
        return (DeskResult.Done, View(message));
    }

    public async Task<IReadOnlyList<OutboxView>> OutboxAsync(OutboxStatus? status, long? targetId, int limit, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Outbox.AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(m => m.Status == s);
        }
        if (targetId is { } t)
        {
            query = query.Where(m => m.TargetId == t);
        }
        var rows = await query.OrderByDescending(m => m.Id).Take(Math.Clamp(limit, 1, 500)).ToListAsync(ct);
        return [.. rows.Select(View)];
    }

    /// <summary>The dead-letter view's retry: the same webhook id, a fresh round of attempts; a linked reply shows sending again.</summary>
    public async Task<(DeskResult Result, OutboxView? Message)> RetryAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var message = await db.Outbox.FirstOrDefaultAsync(m => m.Id == id, ct);
        if (message is null)
        {
            return (DeskResult.NotFound, null);
        }
        if (message.Status != OutboxStatus.Dead)
        {
            return (DeskResult.Conflict, View(message));
        }
        message.Retry(time.GetUtcNow());
        if (message.MessageId is { } replyId && await db.Messages.FirstOrDefaultAsync(m => m.Id == replyId, ct) is { } reply)
        {
            reply.DeliverySending();
        }
        await db.SaveChangesAsync(ct);
        return (DeskResult.Done, View(message));
    }

    private static bool IsWebhookSecret(string secret)
    {
        if (!secret.StartsWith("whsec_", StringComparison.Ordinal))
        {
            return false;
        }
        var bytes = new byte[128];
        return Convert.TryFromBase64String(secret["whsec_".Length..], bytes, out var length) && length is >= 24 and <= 64;
    }

    private TargetView View(DeliveryTarget t, int pending, int failing, int delivered, int dead) =>
        new(t.Id, t.Name, t.Kind, t.Address, secrets.MaskProtected(t.ProtectedSecret), pending, failing, delivered, dead);

    private static OutboxView View(OutboxMessage m) => new(m.Id, m.WebhookId, m.TargetId, m.EventType, m.Subject, m.Status, m.Attempts,
        m.CreatedAt, m.NextAttemptAt, m.DeliveredAt, m.LastError, m.MessageId);
}

using System.Security.Cryptography;
using MemberCare.Domain.Channels;
using MemberCare.Domain.Storage;
using MemberCare.Features.Intake;
using MemberCare.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Channels.Webhooks;

public sealed record WebhookAnswer(long DeliveryId, string Outcome, bool Duplicate);

/// <summary>A delivery as it arrived: the exact bytes and the headers the scheme needs.</summary>
public sealed record WebhookRequest(WebhookSource Source, byte[] Body, string? DeliveryId, string? Topic);

/// <summary>
/// The one way a webhook is taken in: read the raw bytes (bounded), verify the signature, skip a delivery
/// already stored, parse, store the messages and the delivery row, and only then answer 200. Anything that
/// is not committed answers 4xx (the sender's fault) or 503 (ours, retry), so a platform's retry is always safe.
/// </summary>
public sealed class WebhookInbox(
    IDbContextFactory<MemberCareDb> dbFactory,
    IntakeWriter intake,
    ChannelHealthLog health,
    TimeProvider time,
    ILogger<WebhookInbox> logger)
{
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Reads the body exactly as sent, refusing more than <see cref="MaxBodyBytes"/> without reading it all.</summary>
    public static async Task<(byte[]? Body, IResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return (null, TooLarge());
            }
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }

    public async Task<IResult> SignatureRejectedAsync(WebhookSource source, string reason, CancellationToken ct)
    {
        logger.LogWarning("Refused a {Source} webhook: {Reason}", source, reason);
        await health.RecordSignatureFailureAsync(source, time.GetUtcNow(), ct);
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Signature not valid", detail: reason);
    }

    public async Task<IResult> ReceiveAsync(WebhookRequest delivery, Func<byte[], DateTimeOffset, WebhookWork> parse, CancellationToken ct)
    {
        if (delivery.DeliveryId is { Length: > WebhookDelivery.MaxKeyLength })
        {
            return await RefuseAsync(delivery.Source, $"The delivery id is longer than {WebhookDelivery.MaxKeyLength} characters.", ct);
        }
        var key = string.IsNullOrWhiteSpace(delivery.DeliveryId)
            ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(delivery.Body))
            : delivery.DeliveryId.Trim();

        if (await FindAsync(delivery.Source, key, ct) is { } seen)
        {
            return TypedResults.Ok(new WebhookAnswer(seen.Id, seen.Outcome, Duplicate: true));
        }

        WebhookWork work;
        try
        {
            work = parse(delivery.Body, time.GetUtcNow());
        }
        catch (WebhookPayloadException ex)
        {
            return await RefuseAsync(delivery.Source, ex.Message, ct);
        }
        catch (InvalidOperationException ex)
        {
            // A shape the field readers did not foresee; still the payload's fault, and logged so it gets a reader.
            logger.LogWarning(ex, "A {Source} payload could not be read", delivery.Source);
            return await RefuseAsync(delivery.Source, "The payload could not be read: " + ex.Message, ct);
        }

        try
        {
            // Each message is committed by intake, idempotent on (channel, external id); the delivery row follows.
            // A crash in between leaves the delivery unacknowledged, and the platform's retry finds the messages stored.
            await Task.WhenAll(work.Messages.Select(m => intake.SubmitAsync(m, ct)));
        }
        catch (IntakeUnavailableException ex)
        {
            return NotStored(delivery.Source, ex);
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (stored, duplicate) = await StoreAsync(delivery, key, work, ct);
                if (!duplicate)
                {
                    await health.RecordDeliveryAsync(delivery.Source, time.GetUtcNow(), ct);
                }
                return TypedResults.Ok(new WebhookAnswer(stored.Id, stored.Outcome, duplicate));
            }
            catch (WebhookPayloadException ex)
            {
                return await RefuseAsync(delivery.Source, ex.Message, ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation() && attempt < 3)
            {
                // Another delivery created the same customer or order first; the next attempt finds it.
            }
            catch (DbUpdateException ex)
            {
                return NotStored(delivery.Source, ex);
            }
        }
    }

    private async Task<(WebhookDelivery Stored, bool Duplicate)> StoreAsync(WebhookRequest delivery, string key, WebhookWork work, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            try
            {
                // The delivery row goes first: a concurrent duplicate waits on its unique index, not on our reads.
                var row = WebhookDelivery.Verified(delivery.Source, key, delivery.Topic, delivery.Body, work.Outcome, now);
                db.WebhookDeliveries.Add(row);
                await db.SaveChangesAsync(ct);
                if (work.Apply is { } apply)
                {
                    var outcome = await apply(db, now, ct);
                    await db.WebhookDeliveries.Where(d => d.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Outcome, Fit(work.Outcome + "; " + outcome)), ct);
                    await db.SaveChangesAsync(ct);
                }
                await transaction.CommitAsync(ct);
                var stored = await db.WebhookDeliveries.AsNoTracking().FirstAsync(d => d.Id == row.Id, ct);
                return (stored, false);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                await transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                if (await FindAsync(delivery.Source, key, ct) is { } seen)
                {
                    return (seen, true);
                }
                throw;
            }
            catch (ArgumentException ex)
            {
                // A domain rule the parser did not foresee: the payload's fault, and nothing of it is kept.
                await transaction.RollbackAsync(ct);
                throw new WebhookPayloadException(ex.Message);
            }
        }
    }

    private async Task<WebhookDelivery?> FindAsync(WebhookSource source, string key, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Source == source && d.DeliveryKey == key)
            .FirstOrDefaultAsync(ct);
    }

    private async Task<IResult> RefuseAsync(WebhookSource source, string reason, CancellationToken ct)
    {
        await health.RecordDeliveryFailureAsync(source, reason, time.GetUtcNow(), ct);
        return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Payload refused", detail: reason);
    }

    private ProblemHttpResult NotStored(WebhookSource source, Exception ex)
    {
        logger.LogError(ex, "A {Source} webhook could not be stored; it was not acknowledged", source);
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not stored",
            detail: "The delivery could not be stored and was not accepted. Retry later.");
    }

    private static string Fit(string outcome) => outcome.Length > WebhookDelivery.MaxOutcomeLength ? outcome[..WebhookDelivery.MaxOutcomeLength] : outcome;

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large",
        detail: $"A webhook body may be at most {MaxBodyBytes} bytes.");
}

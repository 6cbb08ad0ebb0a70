using MemberCare.Domain.Storage;
using MemberCare.Features.Conversations;
using MemberCare.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Channels.Email;

public sealed record EmailInboundResponse(string MessageId, long ConversationId, long StoredMessageId, long CustomerId, bool Duplicate, int Attachments);

public sealed record AttachmentView(long Id, long MessageId, string FileName, string ContentType, string? DeclaredContentType, long Size, string Sha256);

public static class EmailApi
{
    public static IServiceCollection AddEmailChannel(this IServiceCollection services)
    {
        services.AddOptions<EmailOptions>().BindConfiguration("Email").ValidateDataAnnotations();
        services.AddSingleton<MailIntake>();
        services.AddSingleton<EmailReplies>();
        services.AddSingleton<ImapLedger>();
        services.AddHostedService<ImapPoller>();
        return services;
    }

    public static IEndpointRouteBuilder MapEmailChannel(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v1").WithTags("E-mail").RequireAuthorization(ApiKeys.Policy);
        api.MapPost("/email/inbound", ReceiveAsync)
            .WithSummary("Take in one e-mail as raw MIME (Content-Type: message/rfc822)")
            .WithDescription("Threads by Message-ID, In-Reply-To and References, else by subject and sender. Idempotent on Message-ID: " +
                "a repeat answers 200 with the same ids. Delivery reports, automatic replies and mails without a sender are refused with 422.")
            .Produces<EmailInboundResponse>(StatusCodes.Status201Created)
            .Produces<EmailInboundResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .DisableAntiforgery();
        api.MapGet("/conversations/{id:long}/attachments", ListAsync).WithSummary("The files that came with a conversation's e-mails");
        api.MapGet("/email/attachments/{id:long}", DownloadAsync).WithSummary("One attachment's bytes, served as the content type its bytes show");
        return routes;
    }

    private static async Task<IResult> ReceiveAsync(HttpRequest request, MailIntake intake, IOptions<EmailOptions> options, CancellationToken ct)
    {
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), "message/rfc822", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the mail as raw MIME with Content-Type: message/rfc822.");
        }
        var max = options.Value.MaxMessageBytes;
        if (request.ContentLength > max)
        {
            return TooLarge(max);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return TooLarge(max);
            }
            buffer.Write(chunk, 0, read);
        }
        MailOutcome outcome;
        try
        {
            outcome = await intake.ImportAsync(buffer.ToArray(), ct);
        }
        catch (Features.Intake.IntakeUnavailableException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not stored", detail: ex.Message + " Retry later.");
        }
        if (outcome.Kind == MailOutcomeKind.Rejected)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Mail refused", detail: outcome.Reason);
        }
        var stored = outcome.Stored!;
        var response = new EmailInboundResponse(outcome.MessageIdHeader, stored.ConversationId, stored.MessageId, stored.CustomerId,
            outcome.Kind == MailOutcomeKind.Duplicate, outcome.Attachments);
        return outcome.Kind == MailOutcomeKind.Stored
            ? TypedResults.Created($"/api/v1/conversations/{stored.ConversationId}", response)
            : TypedResults.Ok(response);
    }

    private static async Task<Results<Ok<List<AttachmentView>>, NotFound>> ListAsync(long id, IDbContextFactory<MemberCareDb> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Conversations.AnyAsync(c => c.Id == id, ct))
        {
            return TypedResults.NotFound();
        }
        var files = await db.EmailAttachments.AsNoTracking()
            .Where(a => db.Messages.Any(m => m.Id == a.MessageId && m.ConversationId == id))
            .OrderBy(a => a.Id)
            .Select(a => new AttachmentView(a.Id, a.MessageId, a.FileName, a.ContentType, a.DeclaredContentType, a.Size, a.Sha256))
            .ToListAsync(ct);
        return TypedResults.Ok(files);
    }

    private static async Task<IResult> DownloadAsync(long id, HttpContext context, IDbContextFactory<MemberCareDb> dbFactory, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var file = await db.EmailAttachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (file is null)
        {
            return TypedResults.NotFound();
        }
        return ConversationFiles.Serve(context, file);
    }

    private static ProblemHttpResult TooLarge(int max) => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Mail too large",
        detail: $"A mail may be at most {max} bytes (Email:MaxMessageBytes).");
}

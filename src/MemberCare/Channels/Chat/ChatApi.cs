using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using MemberCare.Channels.Webhooks;
using MemberCare.Domain;
using MemberCare.Domain.Channels;
using MemberCare.Domain.Conversations;
using MemberCare.Domain.Storage;
using MemberCare.Features.Intake;
using MemberCare.Hosting;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Channels.Chat;

/// <summary>The chat widget and contact form; off until a site key is configured.</summary>
public sealed class ChatOptions
{
    /// <summary>The public key a site's script tag carries (data-key); it names the site, it is not a secret.</summary>
    public string? SiteKey { get; set; }

    /// <summary>The sites allowed to call the chat API from a browser, such as "https://shop.example".</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Messages, chat starts and contact forms per client address per minute.</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerMinute { get; set; } = 30;

    /// <summary>Reads (the widget's polls for replies, every 3 seconds while open) per client address per minute.</summary>
    [Range(1, 1_000_000)]
    public int PollsPerMinute { get; set; } = 120;
}

public sealed record ChatStartRequest(string? Key, string? Website);

public sealed record ChatStartResponse(string Token);

public sealed record ChatPostRequest(string? Key, string? ClientId, string? Text, string? Name, string? Email, string? Website);

public sealed record ContactRequest(string? Key, string? Name, string? Email, string? Subject, string? Text, string? Website);

public sealed record ChatPostResponse(long MessageId, bool Duplicate);

public sealed record ChatLine(long Id, string From, string? Author, string Text, DateTimeOffset At);

public static class ChatApi
{
    public const string CorsPolicy = "chat-widget";
    public const string RateLimitPolicy = "chat";
    public const string PollLimitPolicy = "chat-read";
    private const string TooManyTitle = "Too many messages";
    private const string TooManyDetail = "Too many messages from your connection in a short time. Please wait 60 seconds, then send again.";
    private const int MaxTextLength = 4000;

    public static IServiceCollection AddChatChannel(this IServiceCollection services)
    {
        services.AddOptions<ChatOptions>().BindConfiguration("Chat").ValidateDataAnnotations();
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<ChatOptions>>((cors, chat) => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins([.. chat.Value.AllowedOrigins.Select(o => o.TrimEnd('/'))])
            .WithMethods("GET", "POST")
            .WithHeaders("Content-Type")));
        services.AddAddressLimit(RateLimitPolicy, sp => sp.GetRequiredService<IOptions<ChatOptions>>().Value.PermitsPerMinute, TooManyTitle, TooManyDetail);
        // An open widget polls every 3 seconds; counted with the writes, it would use up a visitor's budget for sending.
        services.AddAddressLimit(PollLimitPolicy, sp => sp.GetRequiredService<IOptions<ChatOptions>>().Value.PollsPerMinute, TooManyTitle, TooManyDetail);
        return services;
    }

    /// <summary>The widget shows a refusal's detail to the visitor, so a 429 from the chat API says what happened and when to retry.</summary>

    public static IEndpointRouteBuilder MapChatChannel(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/widget.js", () => TypedResults.Text(ChatWidget.Script, "text/javascript; charset=utf-8"))
            .WithTags("Chat").WithSummary("The embeddable chat and contact widget: <script src=\".../widget.js\" data-key=\"...\" defer></script>");
        var chat = routes.MapGroup("/api/v1/chat").WithTags("Chat").RequireCors(CorsPolicy).DisableAntiforgery();
        chat.MapPost("/sessions", Start).RequireAddressLimit(RateLimitPolicy).WithSummary("Starts a chat: a token only this visitor holds");
        chat.MapPost("/{token}/messages", PostAsync).RequireAddressLimit(RateLimitPolicy).WithSummary("A visitor's chat message; idempotent on clientId");
        chat.MapGet("/{token}/messages", PollAsync).RequireAddressLimit(PollLimitPolicy).WithSummary("The chat's messages after a given id: poll for agents' replies");
        chat.MapPost("/contact", ContactAsync).RequireAddressLimit(RateLimitPolicy).WithSummary("The contact form: one message with a subject and a reply address");
        return routes;
    }

    private static IResult Start(ChatStartRequest? request, IOptions<ChatOptions> options)
    {
        if (CheckKey(request?.Key, options.Value) is { } refused)
        {
            return refused;
        }
        // A filled honeypot gets a token like anyone's; nothing it posts is ever stored.
        return TypedResults.Created((string?)null, new ChatStartResponse(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))));
    }

    private static async Task<IResult> PostAsync(string token, ChatPostRequest? request, IntakeWriter intake, ChannelHealthLog health, IOptions<ChatOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (CheckKey(request?.Key, options.Value) is { } refused)
        {
            await RecordRefusedKeyAsync(health, options.Value, time, ct);
            return refused;
        }
        var errors = new FieldErrors();
        if (!IsToken(token))
        {
            errors.Add("token", "is not a chat token; start a chat first.");
        }
        var text = request!.Text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors.Add("text", "is required.");
        }
        else if (text.Length > MaxTextLength)
        {
            errors.Add("text", $"is longer than {MaxTextLength} characters.");
        }
        if (string.IsNullOrWhiteSpace(request.ClientId) || request.ClientId.Length > 64)
        {
            errors.Add("clientId", "is required: 1 to 64 characters the widget chooses per message.");
        }
        var email = CheckEmail(request.Email, errors);
        var name = CheckName(request.Name, errors);
        if (errors.Any)
        {
            await health.RecordDeliveryFailureAsync(WebhookSource.Chat, "invalid message: " + string.Join(", ", errors.Fields), time.GetUtcNow(), ct);
            return errors.ToProblem();
        }
        if (!string.IsNullOrEmpty(request.Website))
        {
            return TypedResults.Accepted((string?)null, new ChatPostResponse(0, false));
        }
        var message = new InboundMessage(Channel.Chat, $"chat:{token}:{request.ClientId!.Trim()}", new CustomerReference(name, email, "chat:" + token),
            text!, time.GetUtcNow(), ThreadKey: "chat:" + token, Subject: "Chat");
        return await SubmitAsync(intake, health, message, time, ct);
    }

    private static async Task<IResult> ContactAsync(ContactRequest? request, IntakeWriter intake, ChannelHealthLog health, IOptions<ChatOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (CheckKey(request?.Key, options.Value) is { } refused)
        {
            await RecordRefusedKeyAsync(health, options.Value, time, ct);
            return refused;
        }
        var errors = new FieldErrors();
        var email = CheckEmail(request!.Email, errors);
        if (email is null && !errors.Any)
        {
            errors.Add("email", "is required, so that care can answer.");
        }
        var name = CheckName(request.Name, errors);
        var text = request.Text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors.Add("text", "is required.");
        }
        else if (text.Length > MaxTextLength)
        {
            errors.Add("text", $"is longer than {MaxTextLength} characters.");
        }
        var subject = request.Subject?.Trim();
        if (subject is { Length: > 200 })
        {
            errors.Add("subject", "is longer than 200 characters.");
        }
        if (errors.Any)
        {
            await health.RecordDeliveryFailureAsync(WebhookSource.Chat, "invalid message: " + string.Join(", ", errors.Fields), time.GetUtcNow(), ct);
            return errors.ToProblem();
        }
        if (!string.IsNullOrEmpty(request.Website))
        {
            return TypedResults.Accepted((string?)null, new ChatPostResponse(0, false));
        }
        var id = "form:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var message = new InboundMessage(Channel.WebForm, id, new CustomerReference(name, email, null), text!, time.GetUtcNow(),
            ThreadKey: id, Subject: string.IsNullOrEmpty(subject) ? "Contact form" : subject);
        return await SubmitAsync(intake, health, message, time, ct);
    }

    private static async Task<IResult> PollAsync(string token, long? after, string? key, IDbContextFactory<MemberCareDb> dbFactory, IOptions<ChatOptions> options, CancellationToken ct)
    {
        if (CheckKey(key, options.Value) is { } refused)
        {
            return refused;
        }
        if (!IsToken(token))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a chat token", detail: "Start a chat first.");
        }
        var threadKey = "chat:" + token;
        var since = after ?? 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var lines = await db.Messages.AsNoTracking()
            .Where(m => m.Id > since && m.Direction != MessageDirection.Note
                && db.Conversations.Any(c => c.Id == m.ConversationId && c.Channel == Channel.Chat && c.ThreadKey == threadKey))
            .OrderBy(m => m.Id)
            .Take(100)
            .Select(m => new { m.Id, m.Direction, m.AuthorName, m.Text, m.CreatedAt })
            .ToListAsync(ct);
        return TypedResults.Ok(lines.Select(m => new ChatLine(m.Id, m.Direction == MessageDirection.Outbound ? "agent" : "you",
            m.Direction == MessageDirection.Outbound ? m.AuthorName : null, m.Text, m.CreatedAt)).ToList());
    }

    private static async Task<IResult> SubmitAsync(IntakeWriter intake, ChannelHealthLog health, InboundMessage message, TimeProvider time, CancellationToken ct)
    {
        try
        {
            var outcome = await intake.SubmitAsync(message, ct);
            await health.RecordDeliveryAsync(WebhookSource.Chat, time.GetUtcNow(), ct);
            var response = new ChatPostResponse(outcome.MessageId, !outcome.Created);
            return outcome.Created ? TypedResults.Created((string?)null, response) : TypedResults.Ok(response);
        }
        catch (IntakeUnavailableException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not stored", detail: ex.Message + " Retry later.");
        }
    }

    /// <summary>A wrong site key is the widget's counterpart of a bad webhook signature.</summary>
    private static Task RecordRefusedKeyAsync(ChannelHealthLog health, ChatOptions options, TimeProvider time, CancellationToken ct) =>
        string.IsNullOrEmpty(options.SiteKey) ? Task.CompletedTask : health.RecordSignatureFailureAsync(WebhookSource.Chat, time.GetUtcNow(), ct);

    private static IResult? CheckKey(string? key, ChatOptions options)
    {
        if (string.IsNullOrEmpty(options.SiteKey))
        {
            return ChannelsSetup.NotConfigured("chat", "Chat:SiteKey");
        }
        return string.Equals(key, options.SiteKey, StringComparison.Ordinal)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Unknown site key", detail: "The widget's data-key is not this shop's site key.");
    }

    private static bool IsToken(string token) => token.Length == 32 && token.All(char.IsAsciiHexDigitLower);

    private static string? CheckEmail(string? email, FieldErrors errors)
    {
        var value = email?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (value.Length > 320 || !System.Net.Mail.MailAddress.TryCreate(value, out _))
        {
            errors.Add("email", "is not an e-mail address.");
            return null;
        }
        return value;
    }

    private static string? CheckName(string? name, FieldErrors errors)
    {
        var value = name?.Trim();
        if (value is { Length: > 200 })
        {
            errors.Add("name", "is longer than 200 characters.");
            return null;
        }
        return string.IsNullOrEmpty(value) ? null : value;
    }
}

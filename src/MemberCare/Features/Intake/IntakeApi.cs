using MemberCare.Domain;
using MemberCare.Domain.Conversations;
using MemberCare.Hosting;

namespace MemberCare.Features.Intake;

public sealed record PostMessageRequest(
    string? Channel,
    string? ExternalId,
    PostMessageCustomer? Customer,
    string? Text,
    DateTimeOffset? SentAt,
    string? OrderNumber,
    string? ThreadKey,
    string? Subject);

public sealed record PostMessageCustomer(string? Name, string? Email, string? Handle);

public sealed record PostMessageResponse(long ConversationId, long MessageId, long CustomerId, bool Duplicate);

public static class IntakeApi
{
    public static IEndpointRouteBuilder MapIntakeApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/messages").WithTags("Intake").RequireAuthorization(ApiKeys.Policy);
        group.MapPost("/", PostMessage)
            .WithSummary("Take in a customer message")
            .WithDescription("Threads the message into the customer's open conversation on the channel, or opens a new one. " +
                "Idempotent on (channel, externalId): a repeat answers 200 with the same ids. A 2xx means the message is committed.")
            .Accepts<PostMessageRequest>("application/json")
            .Produces<PostMessageResponse>(StatusCodes.Status201Created)
            .Produces<PostMessageResponse>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return routes;
    }

    private static async Task<IResult> PostMessage(HttpRequest request, JsonBodyReader reader, IntakeWriter writer, TimeProvider time, CancellationToken ct)
    {
        var body = await reader.ReadAsync<PostMessageRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var (message, errors) = Check(body.Value!, body.Raw, time.GetUtcNow());
        if (message is null)
        {
            return errors.ToProblem();
        }
        IntakeOutcome outcome;
        try
        {
            outcome = await writer.SubmitAsync(message, ct);
        }
        catch (IntakeUnavailableException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not stored", detail: ex.Message + " Retry later.");
        }
        var response = new PostMessageResponse(outcome.ConversationId, outcome.MessageId, outcome.CustomerId, Duplicate: !outcome.Created);
        return outcome.Created
            ? TypedResults.Created($"/api/v1/conversations/{outcome.ConversationId}", response)
            : TypedResults.Ok(response);
    }

    internal static (InboundMessage? Message, FieldErrors Errors) Check(PostMessageRequest request, string raw, DateTimeOffset now)
    {
        var errors = new FieldErrors();
        Channel? channel = null;
        if (string.IsNullOrWhiteSpace(request.Channel))
        {
            errors.Add("channel", "is required.");
        }
        else if (!ChannelNames.TryParse(request.Channel, out channel))
        {
            errors.Add("channel", $"'{Truncate(request.Channel)}' is not a known channel; use one of {string.Join(", ", ChannelNames.Known)}.");
        }
        if (string.IsNullOrWhiteSpace(request.ExternalId))
        {
            errors.Add("externalId", "is required: the channel's id for this message makes intake idempotent.");
        }
        errors.MaxLength("externalId", request.ExternalId, 256);
        errors.RequireText("text", request.Text, Conversation.MaxTextLength);
        if (request.Customer is null)
        {
            errors.Add("customer", "is required: give at least an e-mail address or a handle on the channel.");
        }
        else
        {
            if (string.IsNullOrWhiteSpace(request.Customer.Email) && string.IsNullOrWhiteSpace(request.Customer.Handle))
            {
                errors.Add("customer", "needs an e-mail address or a handle on the channel.");
            }
            if (request.Customer.Email is { } email && !string.IsNullOrWhiteSpace(email) && !LooksLikeEmail(email))
            {
                errors.Add("customer.email", $"'{Truncate(email)}' is not an e-mail address.");
            }
            errors.MaxLength("customer.email", request.Customer.Email, 320);
            errors.MaxLength("customer.handle", request.Customer.Handle, 320);
            errors.MaxLength("customer.name", request.Customer.Name, 200);
        }
        if (request.SentAt is { } sentAt && sentAt > now.AddDays(1))
        {
            errors.Add("sentAt", "is more than a day in the future.");
        }
        errors.MaxLength("orderNumber", request.OrderNumber, 64);
        errors.MaxLength("threadKey", request.ThreadKey, 200);
        errors.MaxLength("subject", request.Subject, 500);
        if (errors.Any)
        {
            return (null, errors);
        }

        var message = new InboundMessage(
            channel!.Value,
            request.ExternalId!.Trim(),
            new CustomerReference(Clean(request.Customer!.Name), Clean(request.Customer.Email), Clean(request.Customer.Handle)),
            request.Text!,
            request.SentAt ?? now,
            Clean(request.OrderNumber),
            Clean(request.ThreadKey),
            Clean(request.Subject),
            raw);
        return (message, errors);
    }

    private static bool LooksLikeEmail(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < value.Length - 1 && !value.Any(char.IsWhiteSpace) && value.IndexOf('@', at + 1) < 0;
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}

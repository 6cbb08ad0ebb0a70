using MemberCare.Features.Triage.Retraining;
using MemberCare.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MemberCare.Features.Triage;

public static class TriageApi
{
    public static IServiceCollection AddMemberCareTriage(this IServiceCollection services)
    {
        services.AddOptions<TriageOptions>().BindConfiguration("Triage").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TriageModels>();
        services.AddSingleton<TriageEngine>();
        services.AddSingleton<MessageTriager>();
        services.AddSingleton<TriageCorrections>();
        services.AddSingleton<TriageBackfill>();
        services.AddHostedService(sp => sp.GetRequiredService<TriageBackfill>());
        services.AddTriageRetrain();
        return services;
    }

    public static IEndpointRouteBuilder MapTriageApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Triage").RequireAuthorization(ApiKeys.Policy);
        group.MapPost("/messages/{id:long}/triage", Correct)
            .WithSummary("Correct a message's triage labels")
            .WithDescription("Stores an agent's correction of concern, sentiment or language (any of them), applies it to the message " +
                "and, when the message is the conversation's newest from the customer, to the conversation. The next training reads corrections.")
            .Accepts<CorrectTriageRequest>("application/json")
            .Produces<TriageCorrectionView>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/triage/corrections", List)
            .WithSummary("Agents' triage corrections, oldest first, from a time on (inclusive)");
        routes.MapTriageRetrainApi();
        return routes;
    }

    private static async Task<IResult> Correct(long id, HttpRequest request, JsonBodyReader reader, TriageCorrections corrections, CancellationToken ct)
    {
        var body = await reader.ReadAsync<CorrectTriageRequest>(request, ct);
        if (!body.IsValid)
        {
            return body.Problem!;
        }
        var r = body.Value!;
        var errors = new FieldErrors();
        if (r.Concern is null && r.Sentiment is null && r.Language is null)
        {
            errors.Add("concern", "or sentiment or language is required: a correction names at least one label.");
        }
        if (r.Concern is not null && !TriageLabels.IsConcern(r.Concern))
        {
            errors.Add("concern", $"'{Short(r.Concern)}' is not a concern type; use one of {string.Join(", ", TriageLabels.Concerns)}.");
        }
        if (r.Sentiment is not null && !TriageLabels.IsSentiment(r.Sentiment))
        {
            errors.Add("sentiment", $"'{Short(r.Sentiment)}' is not a sentiment; use one of {string.Join(", ", TriageLabels.Sentiments)}.");
        }
        if (r.Language is not null && !TriageLabels.IsLanguage(r.Language))
        {
            errors.Add("language", $"'{Short(r.Language)}' is not a language triage knows; use one of {string.Join(", ", TriageLabels.Languages)}.");
        }
        errors.MaxLength("correctedBy", r.CorrectedBy, 200);
        if (errors.Any)
        {
            return errors.ToProblem();
        }
        var by = string.IsNullOrWhiteSpace(r.CorrectedBy) ? request.HttpContext.User.Identity?.Name ?? "api" : r.CorrectedBy.Trim();
        var (outcome, correction) = await corrections.CorrectAsync(id, r.Concern, r.Sentiment, r.Language, by, ct);
        return outcome switch
        {
            CorrectionOutcome.Done => TypedResults.Created($"/api/v1/triage/corrections?since={Uri.EscapeDataString(correction!.CorrectedAt.ToString("O"))}", correction),
            CorrectionOutcome.NotInbound => Conflict($"Message {id} is not from a customer; only inbound messages are triaged."),
            CorrectionOutcome.NotTriagedYet => Conflict($"Message {id} still waits for triage; correct it once it is triaged."),
            _ => TypedResults.NotFound(new ProblemDetails { Status = StatusCodes.Status404NotFound, Title = "Not found", Detail = $"There is no message {id}." }),
        };
    }

    private static async Task<Results<Ok<IReadOnlyList<TriageCorrectionView>>, ValidationProblem>> List(
        TriageCorrections corrections, CancellationToken ct, DateTimeOffset? since = null, int limit = 1000)
    {
        if (limit is < 1 or > TriageCorrections.MaxLimit)
        {
            var errors = new FieldErrors();
            errors.Add("limit", $"must be between 1 and {TriageCorrections.MaxLimit}.");
            return errors.ToProblem();
        }
        return TypedResults.Ok(await corrections.ListAsync(since, limit, ct));
    }

    private static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Cannot correct this message", detail: detail);

    private static string Short(string value) => value.Length <= 40 ? value : value[..40] + "…";
}

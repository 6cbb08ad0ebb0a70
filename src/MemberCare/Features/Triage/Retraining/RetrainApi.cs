using System.Text.Json;
using MemberCare.Domain.Storage;
using MemberCare.Domain.Triage;
using MemberCare.Features.Triage.Training;
using MemberCare.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Triage.Retraining;

public sealed record TriageRetrainView(
    long Id,
    string Node,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string Outcome,
    string? Reason,
    int Corrections,
    int NewCorrections,
    string? CurrentVersion,
    string? CandidateVersion,
    IReadOnlyList<RetrainScore> ScoresBefore,
    IReadOnlyList<RetrainScore> ScoresAfter);

public static class RetrainApi
{
    public const int MaxLimit = 1000;

    public static IServiceCollection AddTriageRetrain(this IServiceCollection services)
    {
        services.AddOptions<TriageRetrainOptions>().BindConfiguration("Triage:Retrain").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TriageReleases>();
        services.AddSingleton<TriageRetrainer>();
        services.AddHostedService<TriageRetrainLoop>();
        return services;
    }

    public static IEndpointRouteBuilder MapTriageRetrainApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1").WithTags("Triage").RequireAuthorization(ApiKeys.Policy)
            .MapGet("/triage/retrains", List)
            .WithSummary("Retrain attempts, newest first: node, times, scores before and after on the held-out splits, promoted or not and why");
        return routes;
    }

    private static async Task<Results<Ok<IReadOnlyList<TriageRetrainView>>, ValidationProblem>> List(
        IDbContextFactory<MemberCareDb> dbFactory, CancellationToken ct, int limit = 50)
    {
        if (limit is < 1 or > MaxLimit)
        {
            var errors = new FieldErrors();
            errors.Add("limit", $"must be between 1 and {MaxLimit}.");
            return errors.ToProblem();
        }
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.TriageRetrains.AsNoTracking().OrderByDescending(r => r.Id).Take(limit).ToListAsync(ct);
        return TypedResults.Ok<IReadOnlyList<TriageRetrainView>>([.. rows.Select(View)]);
    }

    private static TriageRetrainView View(TriageRetrain r) => new(
        r.Id, r.Node, r.StartedAt, r.FinishedAt, r.Outcome.ToString(), r.Reason, r.Corrections, r.NewCorrections,
        r.CurrentVersion, r.CandidateVersion, Scores(r.ScoresBefore), Scores(r.ScoresAfter));

    private static List<RetrainScore> Scores(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<RetrainScore>>(json, TriageTraining.Json) ?? [];
}

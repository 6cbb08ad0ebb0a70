using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using MemberCare.Domain.Storage;
using MemberCare.Domain.Triage;
using MemberCare.Features.Triage.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Triage.Retraining;

/// <summary>A model's macro-F1 on one held-out corpus, as an attempt records it.</summary>
public sealed record RetrainScore(string Model, string Corpus, int Count, double MacroF1);

/// <summary>
/// One retrain: claims the lease, trains a candidate on the corpora, the project's labels and the agents'
/// corrections (training side only), scores the candidate and the set in use on the same held-out splits and
/// promotes the candidate to the database only when its concern and sentiment macro-F1 are not below the set in
/// use's on any corpus (within the tolerance). Every attempt that trains is recorded.
/// </summary>
public sealed class TriageRetrainer(
    IDbContextFactory<MemberCareDb> dbFactory,
    TriageModels models,
    TriageCorrections corrections,
    TriageReleases releases,
    IOptions<TriageRetrainOptions> options,
    TimeProvider time,
    ILogger<TriageRetrainer> logger)
{
    private static readonly string[] s_judged = [TriageTraining.NameOf(TriageTask.Concern), TriageTraining.NameOf(TriageTask.Sentiment)];

    /// <summary>This node's name in the lease and in the attempts.</summary>
    public string Node { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Retrains when the interval has passed since the last attempt on any node; null when nothing ran.</summary>
    public async Task<TriageRetrain?> RunIfDueAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var last = await db.TriageRetrains.MaxAsync(r => (DateTimeOffset?)r.StartedAt, ct);
        if (last is { } started && time.GetUtcNow() - started < options.Value.Interval)
        {
            return null;
        }
        return await RunAsync(ct);
    }

    /// <summary>Retrains now unless another node holds the lease or too few corrections are new; null when nothing ran.</summary>
    public async Task<TriageRetrain?> RunAsync(CancellationToken ct)
    {
        if (!await ClaimAsync(ct))
        {
            return null;
        }
        try
        {
            return await TrainAndJudgeAsync(ct);
        }
        finally
        {
            await ReleaseAsync();
        }
    }

    /// <summary>One guarded UPDATE takes the lease when it is free or lapsed; the database lets exactly one node through.</summary>
    public async Task<bool> ClaimAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var until = now + options.Value.LeaseDuration;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var claimed = await db.TriageRetrainLeases
            .Where(l => l.Id == TriageRetrainLease.Name && (l.Holder == null || l.ExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, Node).SetProperty(l => l.ExpiresAt, until), ct);
        return claimed == 1;
    }

    /// <summary>Frees the lease when this node holds it.</summary>
    public async Task ReleaseAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        await db.TriageRetrainLeases
            .Where(l => l.Id == TriageRetrainLease.Name && l.Holder == Node)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, (string?)null).SetProperty(l => l.ExpiresAt, DateTimeOffset.UnixEpoch), CancellationToken.None);
    }

    private async Task<TriageRetrain?> TrainAndJudgeAsync(CancellationToken ct)
    {
        var settings = options.Value;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var since = await db.TriageRetrains.MaxAsync(r => (long?)r.LastCorrectionId, ct) ?? 0;
        var newest = await db.TriageCorrections.MaxAsync(c => (long?)c.Id, ct) ?? 0;
        var fresh = await db.TriageCorrections.CountAsync(c => c.Id > since && c.Id <= newest, ct);
        if (fresh < settings.MinNewCorrections)
        {
            logger.LogInformation("Triage retrain skipped: {Fresh} new corrections, {Min} wanted", fresh, settings.MinNewCorrections);
            return null;
        }
        var rows = await corrections.ForTrainingAsync(ct);
        var attempt = TriageRetrain.Start(Node, rows.Count, fresh, newest, models.Current?.Version, time.GetUtcNow());
        db.TriageRetrains.Add(attempt);
        await db.SaveChangesAsync(ct);

        var work = Path.Combine(settings.WorkFolder, $"retrain-{attempt.Id}-{Guid.NewGuid().ToString("N")[..8]}");
        string? candidateVersion = null;
        string? before = null;
        string? after = null;
        try
        {
            if (models.Current is null)
            {
                Finish(attempt, RetrainOutcome.Failed, "No model set is in use to compare a candidate with.", null, null, null);
            }
            else
            {
                var labels = WriteLabels(Path.Combine(work, "labels"), settings.LabelsFolder ?? TriagePaths.Defaults().Labels, rows);
                var data = settings.DataFolder ?? TriagePaths.Defaults().Data;
                var candidate = Path.Combine(work, "candidate");
                var current = models.LoadedFrom;
                var version = $"retrain-{attempt.Id}";
                var (currentScores, candidateScores) = await Task.Run(() =>
                {
                    new TriageTraining(new TriagePaths(data, labels, candidate), TextWriter.Null).Train(version, null);
                    return (Scores(new TriagePaths(data, labels, current)), Scores(new TriagePaths(data, labels, candidate)));
                }, ct);
                candidateVersion = version;
                before = JsonSerializer.Serialize(currentScores, TriageTraining.Json);
                after = JsonSerializer.Serialize(candidateScores, TriageTraining.Json);
                var (notWorse, why) = Judge(currentScores, candidateScores, settings.Tolerance);
                if (!notWorse)
                {
                    Finish(attempt, RetrainOutcome.Rejected, why, candidateVersion, before, after);
                }
                else
                {
                    // The same load and check every node will run: a set that does not load is never promoted.
                    var set = TriageModelSet.Load(candidate);
                    db.TriageModelReleases.Add(TriageModelRelease.Of(
                        version,
                        attempt.Id,
                        (await File.ReadAllBytesAsync(Path.Combine(candidate, TriageModelFiles.Concern), ct),
                         await File.ReadAllBytesAsync(Path.Combine(candidate, TriageModelFiles.Sentiment), ct),
                         await File.ReadAllBytesAsync(Path.Combine(candidate, TriageModelFiles.Language), ct)),
                        await File.ReadAllTextAsync(Path.Combine(candidate, TriageModelFiles.Manifest), ct),
                        time.GetUtcNow()));
                    Finish(attempt, RetrainOutcome.Promoted, $"{why} Fast path {set.FastPath}.", candidateVersion, before, after);
                }
            }
        }
        catch (Exception ex) when (ex is TriageModelException or InvalidOperationException or IOException or ArgumentException)
        {
            Finish(attempt, RetrainOutcome.Failed, ex.Message, candidateVersion, before, after);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Triage retrain {Id} {Outcome}: {Reason}", attempt.Id, attempt.Outcome, attempt.Reason);
        if (attempt.Outcome == RetrainOutcome.Promoted)
        {
            await releases.PollAsync(ct);
        }
        return attempt;
    }

    private void Finish(TriageRetrain attempt, RetrainOutcome outcome, string reason, string? candidate, string? before, string? after) =>
        attempt.Finish(outcome, reason, candidate, before, after, time.GetUtcNow());

    /// <summary>Not worse: on every held-out corpus the set in use is scored on, concern and sentiment macro-F1 hold within the tolerance.</summary>
    public static (bool NotWorse, string Reason) Judge(IReadOnlyList<RetrainScore> current, IReadOnlyList<RetrainScore> candidate, double tolerance)
    {
        var judged = current.Where(s => s_judged.Contains(s.Model) && s.Count > 0).ToList();
        if (judged.Count == 0)
        {
            return (false, "No held-out concern or sentiment texts to compare the sets on.");
        }
        var worse = new List<string>();
        foreach (var before in judged)
        {
            var now = candidate.FirstOrDefault(s => s.Model == before.Model && s.Corpus == before.Corpus);
            if (now is null)
            {
                worse.Add($"{before.Model} on {before.Corpus}: no score");
            }
            else if (now.MacroF1 < before.MacroF1 - tolerance)
            {
                worse.Add(string.Create(CultureInfo.InvariantCulture, $"{before.Model} on {before.Corpus}: {now.MacroF1:0.000} < {before.MacroF1:0.000}"));
            }
        }
        return worse.Count > 0
            ? (false, string.Create(CultureInfo.InvariantCulture, $"Worse than the set in use (tolerance {tolerance:0.###}): {string.Join("; ", worse)}."))
            : (true, string.Create(CultureInfo.InvariantCulture,
                $"Not worse on {judged.Count} held-out concern and sentiment scores (tolerance {tolerance:0.###})."));
    }

    private static List<RetrainScore> Scores(TriagePaths paths) =>
        [.. new TriageTraining(paths, TextWriter.Null).Evaluate().Select(r => new RetrainScore(r.Model, r.Corpus, r.Count, Math.Round(r.MacroF1, 4)))];

    private static string WriteLabels(string folder, string labels, IReadOnlyList<CorrectedLabels> rows)
    {
        Directory.CreateDirectory(folder);
        if (Directory.Exists(labels))
        {
            foreach (var file in Directory.EnumerateFiles(labels, "*.csv"))
            {
                if (!Path.GetFileName(file).Equals("corrections.csv", StringComparison.OrdinalIgnoreCase))
                {
                    File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
                }
            }
        }
        using var writer = new StreamWriter(Path.Combine(folder, "corrections.csv"), false, new UTF8Encoding(false));
        using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
        foreach (var header in new[] { "text", "concern", "sentiment", "language" })
        {
            csv.WriteField(header);
        }
        csv.NextRecord();
        foreach (var row in rows)
        {
            csv.WriteField(row.Text);
            csv.WriteField(row.Concern ?? "");
            csv.WriteField(row.Sentiment ?? "");
            csv.WriteField(row.Language ?? "");
            csv.NextRecord();
        }
        return folder;
    }
}

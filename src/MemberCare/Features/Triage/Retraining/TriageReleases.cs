using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Triage.Retraining;

/// <summary>
/// Loads the newest promoted model set from the database on this node: the bytes are written to a folder of
/// this node's own, loaded and checked as the shipped set is (fast path held to ML.NET), and swapped in.
/// </summary>
public sealed class TriageReleases(
    IDbContextFactory<MemberCareDb> dbFactory,
    TriageModels models,
    IOptions<TriageRetrainOptions> options,
    ILogger<TriageReleases> logger) : IDisposable
{
    private readonly string _node = Guid.NewGuid().ToString("N")[..12];
    // The poll loop and a retrain that has just promoted may poll at once; both would write the same folder.
    private readonly SemaphoreSlim _polling = new(1, 1);
    private long _refused;

    /// <summary>Swaps in the newest release when it is newer than the one in use; returns whether it swapped.</summary>
    public async Task<bool> PollAsync(CancellationToken ct)
    {
        if (!models.Enabled)
        {
            return false;
        }
        await _polling.WaitAsync(ct);
        try
        {
            return await PollOnceAsync(ct);
        }
        finally
        {
            _polling.Release();
        }
    }

    public void Dispose() => _polling.Dispose();

    private async Task<bool> PollOnceAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var newest = await db.TriageModelReleases.MaxAsync(r => (long?)r.Id, ct) ?? 0;
        if (newest <= models.ReleaseId || newest == Interlocked.Read(ref _refused))
        {
            return false;
        }
        var release = await db.TriageModelReleases.AsNoTracking().FirstAsync(r => r.Id == newest, ct);
        var folder = Path.Combine(options.Value.WorkFolder, "releases", $"{release.Id}-{_node}");
        Directory.CreateDirectory(folder);
        await File.WriteAllBytesAsync(Path.Combine(folder, TriageModelFiles.Concern), release.Concern, ct);
        await File.WriteAllBytesAsync(Path.Combine(folder, TriageModelFiles.Sentiment), release.Sentiment, ct);
        await File.WriteAllBytesAsync(Path.Combine(folder, TriageModelFiles.Language), release.Language, ct);
        await File.WriteAllTextAsync(Path.Combine(folder, TriageModelFiles.Manifest), release.Manifest, ct);
        try
        {
            var set = TriageModelSet.Load(folder);
            models.SwapRelease(set, release.Id, folder);
            logger.LogInformation("Triage models {Version} (release {Release}) swapped in from the database; fast path {FastPath}",
                set.Version, release.Id, set.FastPath);
            return true;
        }
        catch (TriageModelException ex)
        {
            Interlocked.Exchange(ref _refused, release.Id);
            logger.LogError(ex, "Release {Release} ({Version}) does not load on this node; the set in use stays", release.Id, release.Version);
            return false;
        }
    }
}

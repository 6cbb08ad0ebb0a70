using Microsoft.Extensions.Options;

namespace MemberCare.Features.Triage;

/// <summary>
/// The model set in use. A new set is loaded beside the old one and swapped in with one reference write,
/// so a triage in flight finishes on the set it started with and no caller ever waits for a load.
/// </summary>
public sealed class TriageModels(IOptions<TriageOptions> options, ILogger<TriageModels> logger)
{
    private readonly Lock _loading = new();
    private volatile TriageModelSet? _current;
    private long _releaseId;

    public TriageModelSet? Current => _current;

    public string Folder { get; } = options.Value.ResolveModelsFolder();

    /// <summary>The id of the database release in use (see TriageReleases); 0 while the folder's set is in use.</summary>
    public long ReleaseId => Interlocked.Read(ref _releaseId);

    /// <summary>Where the set in use was loaded from: the models folder, or the folder a release was written to.</summary>
    public string LoadedFrom { get; private set; } = options.Value.ResolveModelsFolder();

    public bool Enabled => options.Value.Enabled;

    /// <summary>The last reason a load failed, for logs and health; null once a set is in use.</summary>
    public string? Problem { get; private set; }

    /// <summary>Loads the set in the folder unless the one in use is already it; returns whether a set is in use.</summary>
    public bool EnsureLoaded()
    {
        if (!Enabled)
        {
            return false;
        }
        var current = _current;
        // A promoted release outranks the shipped folder; only a newer release replaces it.
        if (current is not null && (ReleaseId > 0 || current.Stamp == ModelStamp.Of(Folder)))
        {
            return true;
        }
        return TryLoad() || _current is not null;
    }

    /// <summary>Loads the folder's models and, when they load, swaps them in; a broken set leaves the old one in use.</summary>
    public bool TryLoad()
    {
        lock (_loading)
        {
            // A release promoted while this caller waited for the lock outranks the folder: keep it.
            if (ReleaseId > 0 && _current is not null)
            {
                return true;
            }
            try
            {
                var loaded = TriageModelSet.Load(Folder);
                Swap(loaded);
                LoadedFrom = Folder;
                logger.LogInformation("Triage models {Version} loaded from {Folder} in {Milliseconds:F0} ms; fast path {FastPath}",
                    loaded.Version, Folder, loaded.LoadTime.TotalMilliseconds, loaded.FastPath);
                if (loaded.Fast is null)
                {
                    logger.LogWarning("Triage scores through ML.NET's PredictionEngines, the fast path is {FastPath}", loaded.FastPath);
                }
                return true;
            }
            catch (TriageModelException ex)
            {
                if (Problem != ex.Message)
                {
                    logger.LogWarning(ex, "Triage models not loaded; messages wait untriaged: {Reason}", ex.Message);
                }
                Problem = ex.Message;
                return false;
            }
        }
    }

    /// <summary>Swaps in a set a retrain promoted, loaded and checked from <paramref name="folder"/>.</summary>
    public void SwapRelease(TriageModelSet next, long releaseId, string folder)
    {
        lock (_loading)
        {
            if (releaseId <= ReleaseId)
            {
                return;
            }
            Swap(next);
            LoadedFrom = folder;
            Interlocked.Exchange(ref _releaseId, releaseId);
        }
    }

    public void Swap(TriageModelSet next)
    {
        ArgumentNullException.ThrowIfNull(next);
        // The old set is not disposed: callers that took it before the swap may still borrow its engines,
        // and its engines hold managed memory only, which the collector reclaims once they are done.
        _current = next;
        Problem = null;
    }
}

using Microsoft.Extensions.Options;

namespace MemberCare.Features.Triage.Retraining;

/// <summary>
/// On every node: picks up the newest promoted set each poll and, when retraining is enabled here, retrains once
/// the interval has passed since the last attempt on any node (the lease lets one node through).
/// </summary>
public sealed class TriageRetrainLoop(
    TriageModels models,
    TriageReleases releases,
    TriageRetrainer retrainer,
    IOptions<TriageRetrainOptions> options,
    TimeProvider time,
    ILogger<TriageRetrainLoop> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!models.Enabled)
        {
            return;
        }
        var settings = options.Value;
        if (settings.Enabled && settings.DataFolder is null)
        {
            logger.LogWarning("Triage:Retrain:Enabled is set but Triage:Retrain:DataFolder is not; the default corpora folder is used");
        }
        using var timer = new PeriodicTimer(settings.PollInterval, time);
        do
        {
            try
            {
                await releases.PollAsync(stoppingToken);
                if (settings.Enabled)
                {
                    await retrainer.RunIfDueAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Triage release poll or retrain failed; it tries again in {Interval}", settings.PollInterval);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

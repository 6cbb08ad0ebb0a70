using MemberCare.Channels.Webhooks;
using MemberCare.Domain.Channels;
using MemberCare.Features.Import;

namespace MemberCare.Channels;

/// <summary>A reviews CSV from the API or the admin page: imported, and counted on the reviews channel's health.</summary>
public sealed class ReviewUpload(ShopImport import, ChannelHealthLog health, TimeProvider time)
{
    public const int MaxFileBytes = 20 * 1024 * 1024;

    public async Task<ImportReport> ImportAsync(Stream csv, CancellationToken ct)
    {
        var report = await import.ImportAsync(ImportKind.Reviews, csv, ct);
        if (report.Accepted > 0)
        {
            await health.RecordDeliveryAsync(WebhookSource.Reviews, time.GetUtcNow(), ct);
        }
        if (report.Rejected.Count > 0)
        {
            var first = report.Rejected[0];
            await health.RecordDeliveryFailureAsync(WebhookSource.Reviews, $"{report.Rejected.Count} rows refused; row {first.Row}: {first.Reason}", time.GetUtcNow(), ct);
        }
        return report;
    }
}

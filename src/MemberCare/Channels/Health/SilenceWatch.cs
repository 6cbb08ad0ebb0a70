using MemberCare.Domain.Channels;
using MemberCare.Domain.Departments;
using MemberCare.Domain.Staff;
using MemberCare.Domain.Storage;
using MemberCare.Domain.Workspace;
using MemberCare.Features.Workspace;
using MemberCare.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Channels.Health;

/// <summary>
/// Raises an alert when a channel that has had traffic stays silent longer than its threshold, counted in the care
/// team's business hours, and clears it when traffic resumes. Every node checks; the silence episode's unique key
/// (channel and last event) is the claim, so the alert and its notifications are written by one node only.
/// </summary>
public sealed class SilenceWatch(
    IDbContextFactory<MemberCareDb> dbFactory,
    IOptionsMonitor<ChannelsOptions> options,
    TimeProvider time,
    IWorkspaceFeed feed,
    ILogger<SilenceWatch> logger) : BackgroundService
{
    private const string From = "Channel health";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = options.CurrentValue.SilenceCheckEvery;
        using var timer = new PeriodicTimer(every, time);
        try
        {
            do
            {
                try
                {
                    await CheckAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "The channel silence check failed; it tries again in {Interval}", every);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: returns the channels this node raised an alert for.</summary>
    public async Task<IReadOnlyList<WebhookSource>> CheckAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var settings = options.CurrentValue;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var department = await db.Departments.AsNoTracking().FirstOrDefaultAsync(d => d.Key == settings.SilenceDepartment, ct);
        var calendar = department?.Calendar ?? BusinessCalendar.Parse("Europe/Oslo", BusinessCalendar.DefaultHours, null);
        var health = await db.ChannelHealth.AsNoTracking().ToDictionaryAsync(h => h.Source, ct);

        var open = await db.ChannelSilences.Where(s => s.ClearedAt == null).ToListAsync(ct);
        foreach (var silence in open.Where(s => !ChannelHealthBoard.IsCurrent(s, health.GetValueOrDefault(s.Source))))
        {
            silence.Clear(now);
        }
        await db.SaveChangesAsync(ct);

        // Adding no business time to now lands on now only while the team is at work.
        if (calendar.Add(now, TimeSpan.Zero) != now)
        {
            return [];
        }
        var raised = new List<WebhookSource>();
        foreach (var (source, row) in health)
        {
            if (row.LastEventAt is not { } last
                || calendar.Between(last, now) < settings.SilenceThreshold(source)
                || await db.ChannelSilences.AnyAsync(s => s.Source == source && s.SilentSince == last, ct))
            {
                continue;
            }
            var recipients = await RecipientsAsync(db, ct);
            var name = ChannelHealthBoard.Name(source);
            db.ChannelSilences.Add(ChannelSilence.Raised(source, last, now));
            foreach (var user in recipients)
            {
                db.StaffNotifications.Add(StaffNotification.AboutSystem(user, From,
                    $"The {name} channel has had no events since {last:yyyy-MM-dd HH:mm} UTC; check its connection.", now));
            }
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                // Another node noticed the same silence first; its alert and notifications stand.
                db.ChangeTracker.Clear();
                continue;
            }
            logger.LogWarning("The {Channel} channel is silent since {LastEventAt}", name, last);
            raised.Add(source);
            await feed.PublishAsync([.. recipients.Select(u => new WorkspaceEvent(WorkspaceEventKind.Notification, 0, u))], ct);
        }
        return raised;
    }

    private static async Task<List<string>> RecipientsAsync(MemberCareDb db, CancellationToken ct) =>
        await (from ur in db.UserRoles
               join r in db.Roles on ur.RoleId equals r.Id
               where r.Name == StaffRoles.Admin || r.Name == StaffRoles.Lead
               select ur.UserId).Distinct().ToListAsync(ct);
}

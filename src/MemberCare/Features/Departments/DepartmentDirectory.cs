using System.Security.Cryptography;
using System.Text;
using MemberCare.Domain.Departments;
using MemberCare.Domain.Routing;
using MemberCare.Domain.Storage;
using MemberCare.Features.Routing;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Departments;

public sealed record DepartmentMember(string UserId, string UserName, string DisplayName);

public sealed record DepartmentView(
    string Key,
    string Name,
    string TimeZone,
    string BusinessHours,
    string Holidays,
    int AcknowledgeWithinMinutes,
    int CompleteWithinMinutes,
    string? LeadUserId,
    long? DeliveryTargetId,
    bool SeesContactDetails,
    bool SeesFullHistory,
    bool HasApiToken,
    IReadOnlyList<DepartmentMember> Members);

public sealed record DepartmentRequest(
    string? Name,
    string? TimeZone,
    string? BusinessHours,
    string? Holidays,
    int? AcknowledgeWithinMinutes,
    int? CompleteWithinMinutes,
    string? LeadUserId,
    long? DeliveryTargetId,
    bool? SeesContactDetails,
    bool? SeesFullHistory);

public sealed record SlaAttainment(string Department, string Name, int Handoffs, int Open, int Breached, double? AcknowledgedOnTime, double? CompletedOnTime);

public enum DepartmentOutcome
{
    Done,
    NotFound,
    Invalid,
}

/// <summary>Departments as admins keep them: schedule, targets, lead, connection, members and the API token.</summary>
public sealed class DepartmentDirectory(IDbContextFactory<MemberCareDb> dbFactory, RuleBook rules, TimeProvider time)
{
    public const string TokenPrefix = "mcd_";

    public async Task<IReadOnlyList<DepartmentView>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var departments = await db.Departments.AsNoTracking().OrderBy(d => d.Name).ToListAsync(ct);
        var members = await db.Users.AsNoTracking().Where(u => u.DepartmentKey != null)
            .Select(u => new { u.DepartmentKey, u.Id, u.UserName, u.DisplayName }).ToListAsync(ct);
        return [.. departments.Select(d => View(d, [.. members.Where(m => m.DepartmentKey == d.Key).Select(m => new DepartmentMember(m.Id, m.UserName ?? "", m.DisplayName))]))];
    }

    public async Task<DepartmentView?> GetAsync(string key, CancellationToken ct) =>
        (await ListAsync(ct)).FirstOrDefault(d => d.Key == key);

    /// <summary>Changes a department; fields left null keep their value. Errors name the field.</summary>
    public async Task<(DepartmentOutcome Outcome, IDictionary<string, string[]>? Errors)> UpdateAsync(string key, DepartmentRequest change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var department = await db.Departments.FirstOrDefaultAsync(d => d.Key == key, ct);
        if (department is null)
        {
            return (DepartmentOutcome.NotFound, null);
        }
        var errors = new Hosting.FieldErrors();
        try
        {
            department.Configure(change.Name ?? department.Name, change.TimeZone ?? department.TimeZone, change.BusinessHours ?? department.BusinessHours,
                change.Holidays ?? department.Holidays, change.AcknowledgeWithinMinutes ?? department.AcknowledgeWithinMinutes,
                change.CompleteWithinMinutes ?? department.CompleteWithinMinutes);
        }
        catch (ArgumentException ex)
        {
            errors.Add(FieldOf(ex.ParamName), ex.Message[..(ex.Message.IndexOf(" (Parameter", StringComparison.Ordinal) is var i and >= 0 ? i : ex.Message.Length)]);
        }
        if (change.LeadUserId is { } lead)
        {
            if (lead.Length > 0 && !await db.Users.AnyAsync(u => u.Id == lead, ct))
            {
                errors.Add("leadUserId", "is not a staff user's id.");
            }
            department.AppointLead(lead);
        }
        if (change.DeliveryTargetId is { } target)
        {
            if (target > 0 && !await db.DeliveryTargets.AnyAsync(t => t.Id == target, ct))
            {
                errors.Add("deliveryTargetId", "is not a delivery target's id.");
            }
            department.Connect(target > 0 ? target : null);
        }
        department.Allow(change.SeesContactDetails ?? department.SeesContactDetails, change.SeesFullHistory ?? department.SeesFullHistory);
        if (errors.Any)
        {
            return (DepartmentOutcome.Invalid, errors.ToDictionary());
        }
        await SaveAndBumpAsync(db, ct);
        return (DepartmentOutcome.Done, null);
    }

    /// <summary>Puts a staff member in a department (or takes them out with null); they sign in again to see it.</summary>
    public async Task<bool> SetMemberAsync(string userName, string? departmentKey, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var normalized = userName.Trim().ToUpperInvariant();
        var user = await db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized, ct);
        if (user is null || (departmentKey is not null && !await db.Departments.AnyAsync(d => d.Key == departmentKey, ct)))
        {
            return false;
        }
        user.MoveToDepartment(departmentKey);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Issues a new API token for the department's tools, replacing any earlier one; it is shown only now.</summary>
    public async Task<string?> IssueTokenAsync(string key, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var department = await db.Departments.FirstOrDefaultAsync(d => d.Key == key, ct);
        if (department is null)
        {
            return null;
        }
        var token = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        department.IssueApiToken(HashToken(token), time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return token;
    }

    public static string HashToken(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Per department over the hand-offs requested in the window: how many met each target.</summary>
    public async Task<IReadOnlyList<SlaAttainment>> AttainmentAsync(int days, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        var since = now.AddDays(-days);
        var rows = await db.Handoffs.AsNoTracking().Where(h => h.RequestedAt >= since)
            .Select(h => new { h.DepartmentKey, h.Status, h.AcknowledgedAt, h.AcknowledgeDueAt, h.ClosedAt, h.CompleteDueAt })
            .ToListAsync(ct);
        var names = await db.Departments.AsNoTracking().OrderBy(d => d.Name).Select(d => new { d.Key, d.Name }).ToListAsync(ct);
        return [.. names.Select(d =>
        {
            var mine = rows.Where(r => r.DepartmentKey == d.Key).ToList();
            var open = mine.Count(r => r.Status is HandoffStatus.Requested or HandoffStatus.Acknowledged);
            var breached = mine.Count(r => (r.Status == HandoffStatus.Requested && r.AcknowledgeDueAt < now)
                || (r.Status == HandoffStatus.Acknowledged && r.CompleteDueAt < now));
            // Counted only where the outcome is known: acknowledged, or still unacknowledged past the deadline.
            var ackKnown = mine.Where(r => r.AcknowledgedAt is not null || r.AcknowledgeDueAt < now).ToList();
            var doneKnown = mine.Where(r => r.Status == HandoffStatus.Done || (r.Status != HandoffStatus.Rejected && r.CompleteDueAt < now)).ToList();
            return new SlaAttainment(d.Key, d.Name, mine.Count, open, breached,
                ackKnown.Count == 0 ? null : Math.Round(ackKnown.Count(r => r.AcknowledgedAt <= r.AcknowledgeDueAt) / (double)ackKnown.Count, 3),
                doneKnown.Count == 0 ? null : Math.Round(doneKnown.Count(r => r.Status == HandoffStatus.Done && r.ClosedAt <= r.CompleteDueAt) / (double)doneKnown.Count, 3));
        })];
    }

    private async Task SaveAndBumpAsync(MemberCareDb db, CancellationToken ct)
    {
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            await RuleBook.BumpAsync(db, ct);
            await transaction.CommitAsync(ct);
        }
        await rules.RefreshAsync(ct);
    }

    private static string FieldOf(string? parameter) => parameter switch
    {
        "timeZone" => "timeZone",
        "hours" or "businessHours" => "businessHours",
        "holidays" => "holidays",
        "acknowledgeWithinMinutes" => "acknowledgeWithinMinutes",
        "completeWithinMinutes" => "completeWithinMinutes",
        _ => "name",
    };

    private static DepartmentView View(Department d, IReadOnlyList<DepartmentMember> members) => new(
        d.Key, d.Name, d.TimeZone, d.BusinessHours, d.Holidays, d.AcknowledgeWithinMinutes, d.CompleteWithinMinutes, d.LeadUserId,
        d.DeliveryTargetId, d.SeesContactDetails, d.SeesFullHistory, d.ApiTokenHash is not null, members);
}

using System.ComponentModel.DataAnnotations;
using MemberCare.Domain.Departments;
using MemberCare.Domain.Routing;
using MemberCare.Domain.Storage;
using MemberCare.Features.Triage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Routing;

public sealed class RoutingOptions
{
    /// <summary>How often each node checks whether rules or departments changed on another node.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the SLA sweep looks for hand-offs to remind about or escalate.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A reminder goes to the department this long (wall time) before a deadline.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan RemindBefore { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Whether the default rules that hand a concern to another department are written switched on (the default) or
    /// off, for a store whose departments will staff their queues later. Read once, when a new store's defaults are written.
    /// </summary>
    public bool DefaultHandoffRulesEnabled { get; set; } = true;
}

/// <summary>What routing needs to know about a department: where its events go and its clock.</summary>
public sealed record DepartmentPolicy(
    string Key,
    string Name,
    long? DeliveryTargetId,
    string? LeadUserId,
    BusinessCalendar Calendar,
    TimeSpan AcknowledgeWithin,
    TimeSpan CompleteWithin)
{
    public static DepartmentPolicy Of(Department d) => new(
        d.Key, d.Name, d.DeliveryTargetId, d.LeadUserId, d.Calendar,
        TimeSpan.FromMinutes(d.AcknowledgeWithinMinutes), TimeSpan.FromMinutes(d.CompleteWithinMinutes));
}

public sealed record CompiledRule(long Id, string Name, bool Stop, Func<RoutingFacts, bool> Matches, IReadOnlyList<RuleAction> Actions, bool NeedsOrder);

/// <summary>The rules and departments one node routes by, compiled; replaced whole, never changed in place.</summary>
public sealed class RoutingSnapshot(long version, IReadOnlyList<CompiledRule> rules, IReadOnlyDictionary<string, DepartmentPolicy> departments)
{
    public static RoutingSnapshot Empty { get; } = new(0, [], new Dictionary<string, DepartmentPolicy>());

    public long Version => version;
    public IReadOnlyList<CompiledRule> Rules => rules;
    public IReadOnlyDictionary<string, DepartmentPolicy> Departments => departments;
    public bool NeedsOrder { get; } = rules.Any(r => r.NeedsOrder);

    /// <summary>The rules that match, in order, up to and including the first matching rule that stops.</summary>
    public IReadOnlyList<CompiledRule> Match(RoutingFacts facts)
    {
        var matched = new List<CompiledRule>();
        foreach (var rule in rules)
        {
            if (rule.Matches(facts))
            {
                matched.Add(rule);
                if (rule.Stop)
                {
                    break;
                }
            }
        }
        return matched;
    }
}

/// <summary>
/// The compiled rules of this node. Routing at intake reads <see cref="Current"/> and never waits on the database;
/// a change anywhere bumps the version row, and every node re-reads when it sees a new version.
/// </summary>
public sealed class RuleBook(IDbContextFactory<MemberCareDb> dbFactory, ILogger<RuleBook> logger) : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile RoutingSnapshot _current = RoutingSnapshot.Empty;

    public RoutingSnapshot Current => _current;

    public void Dispose() => _loading.Dispose();

    /// <summary>Re-reads rules and departments when the stored version differs from the loaded one; true when it did.</summary>
    public async Task<bool> RefreshAsync(CancellationToken ct, bool force = false)
    {
        await _loading.WaitAsync(ct);
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var version = await db.RoutingState.Where(s => s.Id == RoutingState.SingletonId).Select(s => s.Version).FirstOrDefaultAsync(ct);
            if (!force && version == _current.Version)
            {
                return false;
            }
            var rules = await db.RoutingRules.AsNoTracking().Where(r => r.Enabled).OrderBy(r => r.Position).ThenBy(r => r.Id).ToListAsync(ct);
            var departments = await db.Departments.AsNoTracking().ToListAsync(ct);
            var compiled = new List<CompiledRule>();
            foreach (var rule in rules)
            {
                try
                {
                    var conditions = RuleCompiler.ReadConditions(rule.Conditions);
                    compiled.Add(new CompiledRule(rule.Id, rule.Name, rule.Stop, RuleCompiler.Compile(conditions), RuleCompiler.ReadActions(rule.Actions),
                        conditions.Any(c => RuleFields.NeedsOrder(c.Field))));
                }
                catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException or IndexOutOfRangeException)
                {
                    logger.LogError(ex, "Routing rule {Id} ({Name}) cannot be read and is skipped", rule.Id, rule.Name);
                }
            }
            var policies = new Dictionary<string, DepartmentPolicy>(StringComparer.Ordinal);
            foreach (var department in departments)
            {
                try
                {
                    policies[department.Key] = DepartmentPolicy.Of(department);
                }
                catch (ArgumentException ex)
                {
                    logger.LogError(ex, "Department {Key} has a calendar that cannot be read; it is routed to without SLA hours", department.Key);
                }
            }
            _current = new RoutingSnapshot(version, compiled, policies);
            return true;
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>Marks rules or departments as changed, inside the caller's transaction.</summary>
    public static Task BumpAsync(MemberCareDb db, CancellationToken ct) =>
        db.RoutingState.Where(s => s.Id == RoutingState.SingletonId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Version, r => r.Version + 1), ct);

    /// <summary>The default rule set (TAXONOMY.md): each concern to its department, once per store.</summary>
    public static IReadOnlyList<RoutingRule> DefaultRules(DateTimeOffset at, bool handoffsEnabled = true)
    {
        var rules = new List<RoutingRule>();
        var position = 10;
        foreach (var (concern, department) in TriageLabels.DepartmentByConcern.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            List<RuleCondition> conditions = [new(RuleFields.Concern, "is", [concern])];
            List<RuleAction> actions;
            if (department == "member_care")
            {
                actions = concern switch
                {
                    "service_complaint" => [new(RuleActionTypes.Team, "member_care_lead")],
                    "praise" => [new(RuleActionTypes.Team, "member_care"), new(RuleActionTypes.Tag, "share_with_team")],
                    _ => [new(RuleActionTypes.Team, "member_care")],
                };
            }
            else
            {
                // Only a confident label hands off by itself; a doubtful one waits for an agent.
                conditions.Add(new(RuleFields.Confidence, "at_least", ["0.8"]));
                actions = [new(RuleActionTypes.Team, "member_care"), new(RuleActionTypes.Handoff, department)];
            }
            var enabled = handoffsEnabled || department == "member_care";
            rules.Add(new RoutingRule($"{concern} → {department}", position, enabled, stop: true,
                RuleCompiler.Write(conditions), RuleCompiler.Write(actions), at));
            position += 10;
        }
        return rules;
    }
}

/// <summary>Writes the default rules on first start, loads the rules, and keeps them in step with the database.</summary>
public sealed class RuleBookRefresher(
    RuleBook book,
    IDbContextFactory<MemberCareDb> dbFactory,
    IOptions<RoutingOptions> options,
    TimeProvider time,
    ILogger<RuleBookRefresher> logger) : BackgroundService
{
    private bool _started;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await TryStartAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    /// <summary>A database that cannot be read yet (not migrated, unreachable) must not stop the host; the loop retries.</summary>
    private async Task TryStartAsync(CancellationToken ct)
    {
        try
        {
            await WriteDefaultsOnceAsync(ct);
            await book.RefreshAsync(ct, force: true);
            _started = true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Routing rules could not be loaded yet; routing waits until they can be");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (!_started)
                {
                    await TryStartAsync(stoppingToken);
                    continue;
                }
                try
                {
                    if (await book.RefreshAsync(stoppingToken))
                    {
                        logger.LogInformation("Routing rules reloaded at version {Version}", book.Current.Version);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Routing rules could not be reloaded; the loaded ones stay in use");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task WriteDefaultsOnceAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        // The guarded update is the claim: of several nodes starting together, one writes the defaults.
        var claimed = await db.RoutingState
            .Where(s => s.Id == RoutingState.SingletonId && s.DefaultsWrittenAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DefaultsWrittenAt, now).SetProperty(r => r.Version, r => r.Version + 1), ct);
        if (claimed == 1)
        {
            var known = await db.Departments.Select(d => d.Key).ToListAsync(ct);
            db.Departments.AddRange(Department.Defaults().Where(d => !known.Contains(d.Key)));
            db.RoutingRules.AddRange(RuleBook.DefaultRules(now, options.Value.DefaultHandoffRulesEnabled));
            await db.SaveChangesAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }
}

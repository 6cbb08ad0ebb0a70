using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MemberCare.Domain.Defects;

/// <summary>
/// A mistake of ours that touched customers: what it was, whom it touched, why it happened, what we do about it,
/// whether the fix held, and the lesson it leaves.
/// </summary>
public sealed class Defect
{
    public const int MaxTitle = 200;
    public const int MaxText = 2000;
    public const int MaxWhys = 5;

    private static readonly Dictionary<DefectStatus, DefectStatus[]> s_allowed = new()
    {
        [DefectStatus.Open] = [DefectStatus.Investigating, DefectStatus.Actions],
        [DefectStatus.Investigating] = [DefectStatus.Actions],
        [DefectStatus.Actions] = [DefectStatus.Investigating, DefectStatus.Verifying],
        [DefectStatus.Verifying] = [DefectStatus.Actions, DefectStatus.Closed, DefectStatus.Reopened],
        [DefectStatus.Closed] = [DefectStatus.Reopened],
        [DefectStatus.Reopened] = [DefectStatus.Investigating, DefectStatus.Actions],
    };

    private Defect()
    {
    }

    public long Id { get; private set; }
    public string Title { get; private set; } = "";
    public DefectCategory Category { get; private set; }
    public DefectSeverity Severity { get; private set; }
    public DefectStatus Status { get; private set; }

    /// <summary>Concern plus the area it touches ("wrong_item|sku:DRS-114"); a new message with it is a recurrence.</summary>
    public string SignatureKey { get; private set; } = "";

    /// <summary>The staff member who answers for the defect and is told when it comes back (or a department does).</summary>
    public string? OwnerId { get; private set; }

    /// <summary>The department that answers for the defect; its lead, or else its members, are told when it comes back.</summary>
    public string? OwnerDepartment { get; private set; }

    public string OpenedBy { get; private set; } = "";
    public DateTimeOffset OpenedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When the first linked customer complained; the measures count time to open and to verify from it.</summary>
    public DateTimeOffset? FirstComplaintAt { get; private set; }

    public CauseCategory? CauseCategory { get; private set; }

    /// <summary>The five-whys chain, one answer a line.</summary>
    public string Whys { get; private set; } = "";

    public DateTimeOffset? VerifyingSince { get; private set; }

    /// <summary>The end of the recurrence watch; a recurrence before it reopens the defect.</summary>
    public DateTimeOffset? VerifyUntil { get; private set; }

    /// <summary>When the watch ended without a recurrence: the fix held.</summary>
    public DateTimeOffset? VerifiedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }
    public int ReopenCount { get; private set; }
    public long? RecurrenceMessageId { get; private set; }

    public string? LessonWhat { get; private set; }
    public string? LessonWhy { get; private set; }
    public string? LessonChange { get; private set; }
    public DateTimeOffset? LessonPublishedAt { get; private set; }

    /// <summary>Bumped by every verb, so that two nodes changing one defect cannot both win.</summary>
    public int Version { get; private set; }

    public List<DefectLink> Links { get; private set; } = [];
    public List<DefectAction> Actions { get; private set; } = [];
    public List<RecoveryTask> Recoveries { get; private set; } = [];

    public IReadOnlyList<string> FiveWhys => Whys.Length == 0 ? [] : Whys.Split('\n');

    public bool HasOpenActions => Actions.Any(a => a.DoneAt is null);

    public bool IsWatched(DateTimeOffset at) =>
        Status is DefectStatus.Verifying or DefectStatus.Closed && VerifyUntil is { } until && at <= until;

    public static IReadOnlyList<DefectStatus> AllowedFrom(DefectStatus from) => s_allowed[from];

    public static Defect Open(
        string title,
        DefectCategory category,
        DefectSeverity severity,
        string signatureKey,
        string openedBy,
        string? ownerId,
        DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new ArgumentException("A defect needs a title.", nameof(title));
        }
        var utc = at.ToUniversalTime();
        return new Defect
        {
            Title = Cut(title.Trim(), MaxTitle),
            Category = category,
            Severity = severity,
            Status = DefectStatus.Open,
            SignatureKey = DefectSignature.Normalize(signatureKey),
            OpenedBy = Cut(openedBy, 200),
            OwnerId = string.IsNullOrWhiteSpace(ownerId) ? null : ownerId,
            OpenedAt = utc,
            UpdatedAt = utc,
        };
    }

    /// <summary>Links a conversation, and its customer with it; returns whether the conversation was new here.</summary>
    public bool LinkConversation(long conversationId, long customerId, DateTimeOffset complainedAt, DateTimeOffset at)
    {
        var added = AddLink(DefectLinkKind.Conversation, conversationId.ToString(System.Globalization.CultureInfo.InvariantCulture), conversationId, at);
        LinkCustomer(customerId, at);
        var complained = complainedAt.ToUniversalTime();
        if (FirstComplaintAt is null || complained < FirstComplaintAt)
        {
            FirstComplaintAt = complained;
        }
        return added;
    }

    public bool LinkOrder(long orderId, string number, DateTimeOffset at) => AddLink(DefectLinkKind.Order, number, orderId, at);

    public bool LinkSku(string sku, DateTimeOffset at) =>
        !string.IsNullOrWhiteSpace(sku) && AddLink(DefectLinkKind.Sku, sku.Trim(), null, at);

    /// <summary>Every customer a defect touched gets a recovery task, an apology until someone plans more.</summary>
    public bool LinkCustomer(long customerId, DateTimeOffset at)
    {
        if (!AddLink(DefectLinkKind.Customer, customerId.ToString(System.Globalization.CultureInfo.InvariantCulture), customerId, at))
        {
            return false;
        }
        Recoveries.Add(new RecoveryTask(customerId, at));
        return true;
    }

    public DefectOutcome MoveTo(DefectStatus to, DateTimeOffset at, TimeSpan verificationPeriod)
    {
        if (!s_allowed[Status].Contains(to))
        {
            return DefectOutcome.IllegalTransition;
        }
        switch (to)
        {
            case DefectStatus.Verifying when Actions.Count == 0:
                return DefectOutcome.NoActions;
            case DefectStatus.Verifying when HasOpenActions:
            case DefectStatus.Closed when HasOpenActions:
                return DefectOutcome.ActionsOpen;
            case DefectStatus.Closed when LessonWhat is null:
                return DefectOutcome.LessonMissing;
            default:
                break;
        }
        var utc = at.ToUniversalTime();
        switch (to)
        {
            case DefectStatus.Verifying:
                VerifyingSince = utc;
                VerifyUntil = utc + verificationPeriod;
                VerifiedAt = null;
                break;
            case DefectStatus.Closed:
                ClosedAt = utc;
                LessonPublishedAt ??= utc;
                break;
            case DefectStatus.Reopened:
                ReopenCount++;
                VerifyUntil = null;
                VerifiedAt = null;
                ClosedAt = null;
                break;
            default:
                break;
        }
        Status = to;
        Touch(utc);
        return DefectOutcome.Done;
    }

    public void Reclassify(DefectCategory category, DefectSeverity severity, DateTimeOffset at)
    {
        Category = category;
        Severity = severity;
        Touch(at);
    }

    /// <summary>Hands the defect to a user or to a department (one of them), or to nobody.</summary>
    public void AssignOwner(string? userId, string? department, DateTimeOffset at)
    {
        if (!string.IsNullOrWhiteSpace(userId) && !string.IsNullOrWhiteSpace(department))
        {
            throw new ArgumentException("A defect is owned by a user or by a department, not both.", nameof(department));
        }
        OwnerId = string.IsNullOrWhiteSpace(userId) ? null : userId.Trim();
        OwnerDepartment = string.IsNullOrWhiteSpace(department) ? null : department.Trim();
        Touch(at);
    }

    public void SetRootCause(IEnumerable<string> whys, CauseCategory? category, DateTimeOffset at)
    {
        var chain = whys.Select(w => w.ReplaceLineEndings(" ").Trim()).Where(w => w.Length > 0).ToList();
        if (chain.Count > MaxWhys)
        {
            throw new ArgumentException($"A five-whys chain has at most {MaxWhys} answers.", nameof(whys));
        }
        Whys = string.Join('\n', chain.Select(w => Cut(w, 500)));
        CauseCategory = category;
        if (Status == DefectStatus.Open)
        {
            Status = DefectStatus.Investigating;
        }
        Touch(at);
    }

    /// <summary>A new action puts the defect back to work: verifying waits until every action is done again.</summary>
    public DefectAction AddAction(ActionKind kind, string description, string? ownerUserId, string? ownerDepartment, DateTimeOffset dueAt, DateTimeOffset at)
    {
        if (Status == DefectStatus.Closed)
        {
            throw new InvalidOperationException($"Defect {Id} is closed; reopen it first.");
        }
        var action = new DefectAction(kind, description, ownerUserId, ownerDepartment, dueAt, at);
        Actions.Add(action);
        if (Status is DefectStatus.Open or DefectStatus.Investigating or DefectStatus.Reopened or DefectStatus.Verifying)
        {
            Status = DefectStatus.Actions;
            VerifyUntil = null;
        }
        Touch(at);
        return action;
    }

    /// <summary>Completing the last open action starts the recurrence watch.</summary>
    public DefectOutcome CompleteAction(long actionId, string evidence, DateTimeOffset at, TimeSpan verificationPeriod)
    {
        var action = Actions.FirstOrDefault(a => a.Id == actionId);
        if (action is null)
        {
            return DefectOutcome.NotFound;
        }
        if (action.DoneAt is not null)
        {
            return DefectOutcome.AlreadyDone;
        }
        action.Complete(evidence, at);
        Touch(at);
        if (Status == DefectStatus.Actions && !HasOpenActions)
        {
            MoveTo(DefectStatus.Verifying, at, verificationPeriod);
        }
        return DefectOutcome.Done;
    }

    public void WriteLesson(string what, string why, string change, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(what) || string.IsNullOrWhiteSpace(why) || string.IsNullOrWhiteSpace(change))
        {
            throw new ArgumentException("A lesson says what happened, why, and what we do differently.");
        }
        LessonWhat = Cut(what.Trim(), MaxText);
        LessonWhy = Cut(why.Trim(), MaxText);
        LessonChange = Cut(change.Trim(), MaxText);
        Touch(at);
    }

    /// <summary>Closes with its lesson: the lesson is published to the briefings at once.</summary>
    public DefectOutcome Close(string what, string why, string change, DateTimeOffset at)
    {
        if (!s_allowed[Status].Contains(DefectStatus.Closed))
        {
            return DefectOutcome.IllegalTransition;
        }
        if (HasOpenActions)
        {
            return DefectOutcome.ActionsOpen;
        }
        WriteLesson(what, why, change, at);
        return MoveTo(DefectStatus.Closed, at, TimeSpan.Zero);
    }

    /// <summary>A new complaint with the defect's signature during the watch: the fix did not hold.</summary>
    public bool RecordRecurrence(long messageId, DateTimeOffset at)
    {
        if (!IsWatched(at.ToUniversalTime()))
        {
            return false;
        }
        RecurrenceMessageId = messageId;
        Status = DefectStatus.Reopened;
        ReopenCount++;
        VerifyUntil = null;
        VerifiedAt = null;
        ClosedAt = null;
        Touch(at);
        return true;
    }

    /// <summary>The watch ran out without a recurrence; returns whether this call is the one that saw it.</summary>
    public bool ConfirmVerified(DateTimeOffset at)
    {
        if (VerifiedAt is not null || VerifyUntil is not { } until || at.ToUniversalTime() <= until
            || Status is not (DefectStatus.Verifying or DefectStatus.Closed))
        {
            return false;
        }
        VerifiedAt = until;
        Touch(at);
        return true;
    }

    private bool AddLink(DefectLinkKind kind, string key, long? refId, DateTimeOffset at)
    {
        if (Links.Any(l => l.Kind == kind && l.Key == key))
        {
            return false;
        }
        Links.Add(new DefectLink(kind, key, refId, at));
        Touch(at);
        return true;
    }

    private void Touch(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        UpdatedAt = utc > UpdatedAt ? utc : UpdatedAt;
        Version++;
    }

    private static string Cut(string value, int max) => value.Length <= max ? value : value[..max];

    internal sealed class Mapping : IEntityTypeConfiguration<Defect>
    {
        public void Configure(EntityTypeBuilder<Defect> defect)
        {
            defect.Property(d => d.Title).HasMaxLength(MaxTitle);
            defect.Property(d => d.SignatureKey).HasMaxLength(DefectSignature.MaxLength);
            defect.Property(d => d.OwnerId).HasMaxLength(64);
            defect.Property(d => d.OwnerDepartment).HasMaxLength(40);
            defect.Property(d => d.OpenedBy).HasMaxLength(200);
            defect.Property(d => d.Whys).HasMaxLength(MaxWhys * 501);
            defect.Property(d => d.LessonWhat).HasMaxLength(MaxText);
            defect.Property(d => d.LessonWhy).HasMaxLength(MaxText);
            defect.Property(d => d.LessonChange).HasMaxLength(MaxText);
            defect.Property(d => d.Version).IsConcurrencyToken();
            defect.Ignore(d => d.FiveWhys);
            defect.Ignore(d => d.HasOpenActions);
            defect.HasIndex(d => new { d.Status, d.UpdatedAt });
            defect.HasIndex(d => d.SignatureKey);
            defect.HasIndex(d => d.LessonPublishedAt);
            defect.HasMany(d => d.Links).WithOne().HasForeignKey(l => l.DefectId).OnDelete(DeleteBehavior.Cascade);
            defect.HasMany(d => d.Actions).WithOne().HasForeignKey(a => a.DefectId).OnDelete(DeleteBehavior.Cascade);
            defect.HasMany(d => d.Recoveries).WithOne().HasForeignKey(r => r.DefectId).OnDelete(DeleteBehavior.Cascade);
        }
    }
}

namespace MemberCare.Features.Defects;

public sealed record DefectSummary(
    long Id, string Title, string Category, string Severity, string Status, string SignatureKey, string? OwnerId,
    string? OwnerDepartment, string? OwnerName, int Conversations, int Customers, int OpenActions, DateTimeOffset OpenedAt, DateTimeOffset UpdatedAt);

public sealed record DefectLinkView(string Kind, string Key, long? RefId, DateTimeOffset LinkedAt);

public sealed record DefectActionView(
    long Id, string Kind, string Description, string? OwnerUserId, string? OwnerDepartment, DateTimeOffset DueAt,
    DateTimeOffset? DoneAt, string? Evidence);

public sealed record RecoveryView(long Id, long CustomerId, string CustomerName, string Remedy, decimal Amount, int HandlingMinutes, DateTimeOffset? DoneAt);

public sealed record LessonView(long DefectId, string Title, string What, string Why, string Change, DateTimeOffset PublishedAt);

public sealed record DefectDetail(
    long Id,
    string Title,
    string Category,
    string Severity,
    string Status,
    IReadOnlyList<string> AllowedStatuses,
    string SignatureKey,
    string? OwnerId,
    string? OwnerDepartment,
    string OpenedBy,
    DateTimeOffset OpenedAt,
    DateTimeOffset? FirstComplaintAt,
    string? CauseCategory,
    IReadOnlyList<string> Whys,
    DateTimeOffset? VerifyingSince,
    DateTimeOffset? VerifyUntil,
    DateTimeOffset? VerifiedAt,
    DateTimeOffset? ClosedAt,
    int ReopenCount,
    LessonView? Lesson,
    IReadOnlyList<DefectLinkView> Links,
    IReadOnlyList<DefectActionView> Actions,
    IReadOnlyList<RecoveryView> Recoveries);

public sealed record NewDefect(
    string Title,
    string Category,
    string Severity,
    string? SignatureKey,
    string? OwnerId,
    IReadOnlyList<long>? ConversationIds,
    IReadOnlyList<string>? OrderNumbers,
    IReadOnlyList<string>? Skus,
    IReadOnlyList<long>? CustomerIds);

/// <summary>
/// What to link to a defect. <see cref="Search"/> links every conversation a message search finds, and
/// <see cref="SpikeAlertId"/> every conversation of a detected cluster (a spike alert), so a lead can bulk-link either.
/// </summary>
public sealed record LinkRequest(
    IReadOnlyList<long>? ConversationIds,
    IReadOnlyList<string>? OrderNumbers,
    IReadOnlyList<string>? Skus,
    IReadOnlyList<long>? CustomerIds,
    string? Search,
    long? SpikeAlertId = null);

public sealed record FromConversationRequest(string? Title, string? Category, string? Severity, string? SignatureKey);

public sealed record StatusRequest(string? Status);

public sealed record RootCauseRequest(IReadOnlyList<string>? Whys, string? CauseCategory);

/// <summary>A why that names a colleague: which why (1-based), the name it found, and the warning in English.</summary>
public sealed record BlamelessWarning(int Why, string Name, string Message);

public sealed record RootCauseResult(DefectDetail Defect, IReadOnlyList<BlamelessWarning> Warnings);

/// <summary>The lead's correction of a defect's category and severity (a spike's guess, for one).</summary>
public sealed record ClassificationRequest(string? Category, string? Severity);

public sealed record ActionRequest(string? Kind, string? Description, string? OwnerUserId, string? OwnerDepartment, DateTimeOffset? DueAt);

public sealed record EvidenceRequest(string? Evidence);

public sealed record LessonRequest(string? What, string? Why, string? Change);

public sealed record RecoveryRequest(string? Remedy, decimal? Amount);

public sealed record RecoveryDoneRequest(int? HandlingMinutes);

public sealed record AcknowledgeRequest(string? UserId);

public sealed record LinkResult(int ConversationsAdded, int OrdersAdded, int SkusAdded, int CustomersAdded, IReadOnlyList<string> Unknown);

/// <summary>Who answers for a defect: a user id or a department key, or neither to leave it unowned.</summary>
public sealed record OwnerRequest(string? OwnerUserId, string? OwnerDepartment);

public sealed record OwnerChoice(string Value, string Name, bool IsDepartment);

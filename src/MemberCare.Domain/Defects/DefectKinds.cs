namespace MemberCare.Domain.Defects;

public enum DefectCategory
{
    PickOrPackError,
    CarrierDamage,
    LateDispatch,
    ProductFault,
    ListingError,
    PricingOrWebsiteError,
    ServiceError,
}

public enum DefectSeverity
{
    Low,
    Medium,
    High,
    Critical,
}

public enum DefectStatus
{
    Open,
    Investigating,
    Actions,
    Verifying,
    Closed,
    Reopened,
}

public enum CauseCategory
{
    People,
    Process,
    ProductOrSupplier,
    System,
    Carrier,
    Information,
}

public enum DefectLinkKind
{
    Conversation,
    Order,
    Sku,
    Customer,
}

public enum ActionKind
{
    Corrective,
    Preventive,
}

public enum Remedy
{
    Apology,
    Reshipment,
    Refund,
    Voucher,
}

/// <summary>What happened to a request to change a defect; anything but Done changed nothing.</summary>
public enum DefectOutcome
{
    Done,
    IllegalTransition,
    ActionsOpen,
    NoActions,
    LessonMissing,
    NotFound,
    AlreadyDone,
    UnknownOwner,
    UnknownUser,
}

/// <summary>The snake_case keys the API and the pages use for the defect enums.</summary>
public static class DefectKeys
{
    public static string ToKey<T>(this T value)
        where T : struct, Enum => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static bool TryParse<T>(string? key, out T value)
        where T : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(candidate.ToKey(), key?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    public static IReadOnlyList<string> Keys<T>()
        where T : struct, Enum => [.. Enum.GetValues<T>().Select(v => v.ToKey())];
}

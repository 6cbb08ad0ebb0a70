using Microsoft.Extensions.Localization;

namespace MemberCare.Features.Defects;

public static class DefectWords
{
    /// <summary>The display name of a defect key (category, status, remedy, cause…), or the key itself when it has none.</summary>
    public static string Key(this IStringLocalizer localizer, string key) =>
        localizer["DK_" + key] is { ResourceNotFound: false } name ? name : key.Replace('_', ' ');
}

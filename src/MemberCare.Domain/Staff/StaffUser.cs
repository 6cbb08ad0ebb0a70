using Microsoft.AspNetCore.Identity;

namespace MemberCare.Domain.Staff;

/// <summary>Someone who signs in to the workspace: an agent, a department member, a lead or an administrator.</summary>
public sealed class StaffUser : IdentityUser
{
    public const int MaxDisplayName = 100;

    public string DisplayName { get; private set; } = "";

    /// <summary>The interface language the person chose: "en" or "nb".</summary>
    public string Culture { get; private set; } = StaffCultures.English;

    public string? DepartmentKey { get; private set; }

    /// <summary>Set for a one-time password: the person must choose their own before working.</summary>
    public bool MustChangePassword { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public static StaffUser Create(string userName, string displayName, string? email, string? departmentKey, DateTimeOffset at) => new()
    {
        UserName = userName.Trim(),
        Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim(),
        DisplayName = string.IsNullOrWhiteSpace(displayName) ? userName.Trim() : displayName.Trim(),
        DepartmentKey = string.IsNullOrWhiteSpace(departmentKey) ? null : departmentKey.Trim(),
        MustChangePassword = true,
        CreatedAt = at.ToUniversalTime(),
        EmailConfirmed = true,
    };

    public void Rename(string displayName)
    {
        if (!string.IsNullOrWhiteSpace(displayName))
        {
            DisplayName = displayName.Trim();
        }
    }

    public void MoveToDepartment(string? departmentKey) =>
        DepartmentKey = string.IsNullOrWhiteSpace(departmentKey) ? null : departmentKey.Trim();

    public void ChooseCulture(string culture) => Culture = StaffCultures.Normalize(culture);

    public void RequirePasswordChange() => MustChangePassword = true;

    public void PasswordChosen() => MustChangePassword = false;

    /// <summary>The first name, for macros that greet a colleague or sign a reply.</summary>
    public string FirstName => DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? DisplayName;
}

public static class StaffRoles
{
    public const string Agent = "agent";
    public const string DepartmentMember = "department_member";
    public const string Lead = "lead";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Agent, DepartmentMember, Lead, Admin];

    /// <summary>Who works conversations in the inbox; department members see their own queue in a later issue.</summary>
    public static IReadOnlyList<string> Inbox { get; } = [Agent, Lead, Admin];
}

public static class StaffCultures
{
    public const string English = "en";
    public const string NorwegianBokmal = "nb";

    public static IReadOnlyList<string> Supported { get; } = [English, NorwegianBokmal];

    public static string Normalize(string? culture) =>
        Supported.FirstOrDefault(c => string.Equals(c, culture?.Trim(), StringComparison.OrdinalIgnoreCase)) ?? English;
}

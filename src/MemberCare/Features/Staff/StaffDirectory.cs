using System.Security.Cryptography;
using MemberCare.Domain.Staff;
using MemberCare.Domain.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Staff;

public sealed record StaffMember(
    string Id,
    string UserName,
    string DisplayName,
    string? Email,
    string? DepartmentKey,
    IReadOnlyList<string> Roles,
    bool LockedOut,
    bool MustChangePassword,
    string Culture);

public sealed record NewStaffMember(string UserName, string DisplayName, string? Email, string? DepartmentKey, IReadOnlyList<string> Roles);

/// <summary>The result of creating a person or resetting their password: the one-time password to hand over, or why not.</summary>
public sealed record StaffChange(bool Succeeded, string? OneTimePassword, IReadOnlyList<string> Errors)
{
    public static StaffChange Failed(IEnumerable<string> errors) => new(false, null, [.. errors]);
}

/// <summary>Who works here and what they may do: the administrator's page and the first start use it.</summary>
public sealed class StaffDirectory(IServiceScopeFactory scopes, IDbContextFactory<MemberCareDb> dbFactory, TimeProvider time)
{
    public async Task<IReadOnlyList<StaffMember>> ListAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        var users = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName).ToListAsync(ct);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           select new { ur.UserId, r.Name }).ToListAsync(ct);
        return [.. users.Select(u => new StaffMember(
            u.Id, u.UserName ?? "", u.DisplayName, u.Email, u.DepartmentKey,
            [.. roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order()],
            u.LockoutEnd is { } end && end > now,
            u.MustChangePassword,
            u.Culture))];
    }

    /// <summary>People one can @mention or assign: everyone, by user name.</summary>
    public async Task<IReadOnlyList<(string Id, string UserName, string DisplayName)>> ColleaguesAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Users.AsNoTracking().OrderBy(u => u.DisplayName)
            .Select(u => new { u.Id, u.UserName, u.DisplayName }).ToListAsync(ct);
        return [.. rows.Select(r => (r.Id, r.UserName ?? "", r.DisplayName))];
    }

    public async Task EnsureRolesAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in StaffRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }

    public async Task<StaffChange> CreateAsync(NewStaffMember member, string? password, CancellationToken ct)
    {
        var unknownRoles = member.Roles.Except(StaffRoles.All).ToList();
        if (unknownRoles.Count > 0)
        {
            return StaffChange.Failed([$"Unknown role: {string.Join(", ", unknownRoles)}."]);
        }
        if (member.Roles.Count == 0)
        {
            return StaffChange.Failed(["Choose at least one role."]);
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var user = StaffUser.Create(member.UserName, member.DisplayName, member.Email, member.DepartmentKey, time.GetUtcNow());
        var oneTime = password ?? OneTimePassword();
        var created = await users.CreateAsync(user, oneTime);
        if (!created.Succeeded)
        {
            return StaffChange.Failed(created.Errors.Select(e => e.Description));
        }
        var added = await users.AddToRolesAsync(user, member.Roles);
        return added.Succeeded ? new StaffChange(true, oneTime, []) : StaffChange.Failed(added.Errors.Select(e => e.Description));
    }

    public async Task<StaffChange> UpdateAsync(string userId, string displayName, string? departmentKey, IReadOnlyList<string> roles, CancellationToken ct)
    {
        if (roles.Except(StaffRoles.All).Any() || roles.Count == 0)
        {
            return StaffChange.Failed(["Choose at least one known role."]);
        }
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return StaffChange.Failed(["No such person."]);
        }
        user.Rename(displayName);
        user.MoveToDepartment(departmentKey);
        var current = await users.GetRolesAsync(user);
        if (current.Contains(StaffRoles.Admin) && !roles.Contains(StaffRoles.Admin)
            && (await users.GetUsersInRoleAsync(StaffRoles.Admin)).Count == 1)
        {
            return StaffChange.Failed(["The last administrator keeps the admin role."]);
        }
        var results = new[]
        {
            await users.UpdateAsync(user),
            await users.RemoveFromRolesAsync(user, current.Except(roles)),
            await users.AddToRolesAsync(user, roles.Except(current)),
        };
        // Roles live in the cookie; a new security stamp makes the person's next request pick them up.
        await users.UpdateSecurityStampAsync(user);
        var errors = results.SelectMany(r => r.Errors).Select(e => e.Description).ToList();
        return errors.Count == 0 ? new StaffChange(true, null, []) : StaffChange.Failed(errors);
    }

    public async Task<StaffChange> ResetPasswordAsync(string userId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return StaffChange.Failed(["No such person."]);
        }
        var oneTime = OneTimePassword();
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var reset = await users.ResetPasswordAsync(user, token, oneTime);
        if (!reset.Succeeded)
        {
            return StaffChange.Failed(reset.Errors.Select(e => e.Description));
        }
        user.RequirePasswordChange();
        await users.UpdateAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        return new StaffChange(true, oneTime, []);
    }

    public async Task<StaffChange> SetLockedAsync(string userId, bool locked, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        if (await users.FindByIdAsync(userId) is not { } user)
        {
            return StaffChange.Failed(["No such person."]);
        }
        var result = await users.SetLockoutEndDateAsync(user, locked ? DateTimeOffset.MaxValue : null);
        await users.UpdateSecurityStampAsync(user);
        return result.Succeeded ? new StaffChange(true, null, []) : StaffChange.Failed(result.Errors.Select(e => e.Description));
    }

    /// <summary>Five groups of four from an alphabet without look-alikes (no 0/O, 1/l): easy to read out, 100 bits.</summary>
    public static string OneTimePassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY2346789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 20);
        return string.Join('-', chars.Chunk(4).Select(c => new string(c)));
    }
}

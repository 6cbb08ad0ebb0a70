using MemberCare.Domain.Staff;
using MemberCare.Domain.Storage;
using MemberCare.Features.Staff;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Demo;

public sealed record DemoMember(string UserName, string Department, string OneTimePassword);

/// <summary>
/// One demo colleague per department (an agent for member care, a department member elsewhere), so the portal and
/// the hand-offs can be tried at once. Each gets a generated one-time password, never a fixed one, because a demo
/// store may be seeded into an installation that others can reach; it is printed once and must be changed at first
/// sign-in, like the first administrator's. Existing accounts are left as they are.
/// </summary>
public sealed class DemoStaff(IDbContextFactory<MemberCareDb> dbFactory, StaffDirectory directory, ILogger<DemoStaff> logger)
{
    public const string UserNamePrefix = "demo.";

    public static string UserNameFor(string departmentKey) => UserNamePrefix + departmentKey.Replace('_', '-');

    public async Task<IReadOnlyList<DemoMember>> EnsureMembersAsync(CancellationToken ct)
    {
        await directory.EnsureRolesAsync();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var departments = await db.Departments.OrderBy(d => d.Key).Select(d => new { d.Key, d.Name }).ToListAsync(ct);
        var taken = (await db.Users.Select(u => u.NormalizedUserName).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        if (taken.Count == 0)
        {
            // The first start creates the first administrator only into an empty user table, so colleagues come after it.
            return [];
        }
        var created = new List<DemoMember>();
        foreach (var department in departments)
        {
            var userName = UserNameFor(department.Key);
            if (taken.Contains(userName.ToUpperInvariant()))
            {
                continue;
            }
            var role = department.Key == "member_care" ? StaffRoles.Agent : StaffRoles.DepartmentMember;
            var change = await directory.CreateAsync(new NewStaffMember(userName, $"Demo {department.Name}", null, department.Key, [role]), null, ct);
            if (change is { Succeeded: true, OneTimePassword: { } password })
            {
                created.Add(new DemoMember(userName, department.Name, password));
            }
            else
            {
                logger.LogError("Could not create the demo colleague {User}: {Errors}", userName, string.Join(" ", change.Errors));
            }
        }
        return created;
    }

    /// <summary>To the console only (not the log, which may be shipped elsewhere).</summary>
    public static void Print(IReadOnlyList<DemoMember> members)
    {
        foreach (var m in members)
        {
            Console.WriteLine($"Demo colleague for {m.Department}: sign in as '{m.UserName}' with the one-time password {m.OneTimePassword} (you will choose your own at first sign-in).");
        }
    }
}

using MemberCare.Domain.Staff;
using MemberCare.Features.Staff;
using MemberCare.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Workspace;

public sealed class WorkspaceStaffTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_invited_person_gets_a_one_time_password_roles_and_a_department()
    {
        await using var app = TestApp.Sqlite();
        var directory = app.Services.GetRequiredService<StaffDirectory>();
        var created = await directory.CreateAsync(new NewStaffMember("wenche", "Wenche Lager", "wenche@example.com", "warehouse", [StaffRoles.DepartmentMember]), null, Ct);
        Assert.True(created.Succeeded);

        var wenche = Assert.Single(await directory.ListAsync(Ct), p => p.UserName == "wenche");
        Assert.Equal(["department_member"], wenche.Roles);
        Assert.Equal("warehouse", wenche.DepartmentKey);
        Assert.True(wenche.MustChangePassword);

        var signIn = await StaffSession.SignInAsync(StaffSession.Client(app), "wenche", created.OneTimePassword!);
        Assert.StartsWith("/account/password", signIn.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_roles_weak_passwords_and_taken_names_are_refused()
    {
        await using var app = TestApp.Sqlite();
        var directory = app.Services.GetRequiredService<StaffDirectory>();
        Assert.False((await directory.CreateAsync(new NewStaffMember("x1", "X", null, null, ["superuser"]), null, Ct)).Succeeded);
        Assert.False((await directory.CreateAsync(new NewStaffMember("x2", "X", null, null, []), null, Ct)).Succeeded);
        Assert.False((await directory.CreateAsync(new NewStaffMember("x3", "X", null, null, [StaffRoles.Agent]), "short", Ct)).Succeeded);
        Assert.True((await directory.CreateAsync(new NewStaffMember("x4", "X", null, null, [StaffRoles.Agent]), null, Ct)).Succeeded);
        Assert.False((await directory.CreateAsync(new NewStaffMember("X4", "Y", null, null, [StaffRoles.Agent]), null, Ct)).Succeeded);
    }

    [Fact]
    public async Task The_last_administrator_keeps_the_admin_role()
    {
        await using var app = TestApp.Sqlite();
        var ada = await StaffSession.CreateAsync(app, "ada", StaffRoles.Admin);
        var directory = app.Services.GetRequiredService<StaffDirectory>();
        var firstAdmin = Assert.Single(await directory.ListAsync(Ct), p => p.UserName == "admin");

        Assert.True((await directory.UpdateAsync(firstAdmin.Id, firstAdmin.DisplayName, null, [StaffRoles.Agent], Ct)).Succeeded);
        Assert.False((await directory.UpdateAsync(ada, "Ada", null, [StaffRoles.Agent], Ct)).Succeeded);
        Assert.True((await directory.UpdateAsync(ada, "Ada Lovelace", "member_care", [StaffRoles.Admin, StaffRoles.Lead], Ct)).Succeeded);

        var updated = Assert.Single(await directory.ListAsync(Ct), p => p.Id == ada);
        Assert.Equal(["admin", "lead"], updated.Roles);
        Assert.Equal("Ada Lovelace", updated.DisplayName);
        Assert.Equal("member_care", updated.DepartmentKey);
    }

    [Fact]
    public async Task A_reset_password_is_one_time_and_a_locked_account_cannot_sign_in()
    {
        await using var app = TestApp.Sqlite();
        var agnes = await StaffSession.CreateAsync(app, "agnes", StaffRoles.Agent);
        var directory = app.Services.GetRequiredService<StaffDirectory>();

        var reset = await directory.ResetPasswordAsync(agnes, Ct);
        Assert.True(reset.Succeeded);
        var old = await StaffSession.SignInAsync(StaffSession.Client(app), "agnes", StaffSession.Password);
        Assert.Contains("error=invalid", old.Headers.Location!.OriginalString, StringComparison.Ordinal);
        var fresh = await StaffSession.SignInAsync(StaffSession.Client(app), "agnes", reset.OneTimePassword!);
        Assert.StartsWith("/account/password", fresh.Headers.Location!.OriginalString, StringComparison.Ordinal);

        Assert.True((await directory.SetLockedAsync(agnes, locked: true, Ct)).Succeeded);
        var locked = await StaffSession.SignInAsync(StaffSession.Client(app), "agnes", reset.OneTimePassword!);
        Assert.Contains("error=locked", locked.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByIdAsync(agnes))!));
    }
}

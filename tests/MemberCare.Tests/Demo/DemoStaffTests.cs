using MemberCare.Domain.Staff;
using MemberCare.Features.Demo;
using MemberCare.Features.Staff;
using MemberCare.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace MemberCare.Tests.Demo;

public sealed class DemoStaffTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_department_gets_one_demo_colleague_with_its_own_one_time_password_and_a_second_run_adds_none()
    {
        await using var app = TestApp.Sqlite();
        var demoStaff = app.Services.GetRequiredService<DemoStaff>();

        var created = await demoStaff.EnsureMembersAsync(Ct);
        var again = await demoStaff.EnsureMembersAsync(Ct);

        await using var db = await app.OpenDbAsync();
        var departments = await db.Departments.Select(d => d.Key).ToListAsync(Ct);
        Assert.Equal(departments.Count, created.Count);
        Assert.Empty(again);
        Assert.Equal(created.Count, created.Select(m => m.OneTimePassword).Distinct().Count());
        var staff = await app.Services.GetRequiredService<StaffDirectory>().ListAsync(Ct);
        foreach (var key in departments)
        {
            var member = Assert.Single(staff, s => s.UserName == DemoStaff.UserNameFor(key));
            Assert.Equal(key, member.DepartmentKey);
            Assert.Equal([key == "member_care" ? StaffRoles.Agent : StaffRoles.DepartmentMember], member.Roles);
            Assert.True(member.MustChangePassword);
        }

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<StaffUser>>();
        var warehouse = created.Single(m => m.UserName == "demo.warehouse");
        Assert.True(await users.CheckPasswordAsync((await users.FindByNameAsync(warehouse.UserName))!, warehouse.OneTimePassword));
        Assert.NotNull(await users.FindByNameAsync("demo.product-design"));
    }
}

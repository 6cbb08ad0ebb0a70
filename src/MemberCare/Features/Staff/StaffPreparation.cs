using MemberCare.Domain.Staff;
using MemberCare.Domain.Storage;
using MemberCare.Features.Demo;
using MemberCare.Features.Workspace;
using MemberCare.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Features.Staff;

/// <summary>
/// After the schema is ready: the roles, the reply macros, and on the very first start an administrator whose
/// one-time password is printed once (or taken from Staff:AdminPassword) and must be changed at first sign-in, with the
/// demo store's colleagues when the demo store is seeded on first start.
/// </summary>
public sealed class StaffPreparation(
    IDbContextFactory<MemberCareDb> dbFactory,
    StaffDirectory directory,
    MacroLibrary macros,
    IOptions<StaffOptions> options,
    IOptions<DemoOptions> demoOptions,
    DemoStaff demoStaff,
    ILogger<StaffPreparation> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await SchemaIsReadyAsync(cancellationToken))
        {
            return;
        }
        await directory.EnsureRolesAsync();
        await macros.EnsureDefaultsAsync(cancellationToken);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Users.AnyAsync(cancellationToken))
        {
            return;
        }
        var configured = options.Value.AdminPassword;
        var created = await directory.CreateAsync(
            new NewStaffMember(options.Value.AdminUserName, "Administrator", null, null, [StaffRoles.Admin, StaffRoles.Lead, StaffRoles.Agent]),
            string.IsNullOrWhiteSpace(configured) ? null : configured,
            cancellationToken);
        if (!created.Succeeded)
        {
            logger.LogError("Could not create the first administrator: {Errors}", string.Join(" ", created.Errors));
            return;
        }
        if (string.IsNullOrWhiteSpace(configured))
        {
            // Printed once, to the console only (not the log, which may be shipped elsewhere).
            Console.WriteLine($"First start: sign in as '{options.Value.AdminUserName}' with the one-time password {created.OneTimePassword} (you will choose your own at first sign-in).");
        }
        else
        {
            logger.LogInformation("First start: created the administrator '{User}' with the configured one-time password", options.Value.AdminUserName);
        }
        if (demoOptions.Value.SeedOnFirstStart)
        {
            DemoStaff.Print(await demoStaff.EnsureMembersAsync(cancellationToken));
        }
    }

    private async Task<bool> SchemaIsReadyAsync(CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return !(await db.Database.GetPendingMigrationsAsync(ct)).Any();
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return false;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using MemberCare.Domain.Storage;
using MemberCare.Features.Demo;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MemberCare.Hosting;

/// <summary>Migrates (when configured) and seeds what a first start needs, before the server takes a request.</summary>
public sealed class DatabasePreparation(
    IDbContextFactory<MemberCareDb> dbFactory,
    DemoStore demo,
    IOptions<DatabaseOptions> database,
    IOptions<DemoOptions> demoOptions,
    ILogger<DatabasePreparation> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (database.Value.MigrateOnStart)
        {
            await dbFactory.MigrateAsync(cancellationToken);
        }
        else if (await PendingMigrationsAsync(cancellationToken) is { Count: > 0 } pending)
        {
            // Start anyway, unhealthy: the operator runs 'membercare migrate', and /health says why until then.
            logger.LogError("The database schema is behind ({Pending}); run 'membercare migrate'", string.Join(", ", pending));
            return;
        }
        await demo.EnsureDepartmentsAsync(cancellationToken);
        if (demoOptions.Value.SeedOnFirstStart && await demo.IsEmptyAsync(cancellationToken))
        {
            logger.LogInformation("First start: seeding the demo store (turn off with --no-demo or Demo:SeedOnFirstStart=false)");
            await demo.SeedAsync(cancellationToken);
        }
    }

    private async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            return [.. await db.Database.GetPendingMigrationsAsync(ct)];
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogError(ex, "The database does not answer");
            return ["(database unreachable)"];
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

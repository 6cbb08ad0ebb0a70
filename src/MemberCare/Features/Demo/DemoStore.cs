using MemberCare.Domain.Departments;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Demo;

public sealed class DemoOptions
{
    public bool SeedOnFirstStart { get; set; } = true;
}

/// <summary>The store every new installation starts with: the departments, and on request a demo shop.</summary>
public sealed class DemoStore(IDbContextFactory<MemberCareDb> dbFactory, TimeProvider time, ILogger<DemoStore> logger)
{
    public async Task EnsureDepartmentsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var known = await db.Departments.Select(d => d.Key).ToListAsync(ct);
        db.Departments.AddRange(Department.Defaults().Where(d => !known.Contains(d.Key)));
        await db.SaveChangesAsync(ct);
    }

    public async Task<bool> IsEmptyAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return !await db.Customers.AnyAsync(ct) && !await db.Conversations.AnyAsync(ct);
    }

    public Task SeedAsync(CancellationToken ct)
    {
        logger.LogInformation("Demo store at {Now}", time.GetUtcNow());
        return EnsureDepartmentsAsync(ct);
    }
}

using MemberCare.Domain.Departments;
using MemberCare.Domain.Storage;
using Microsoft.EntityFrameworkCore;

namespace MemberCare.Features.Demo;

public sealed class DemoOptions
{
    public bool SeedOnFirstStart { get; set; } = true;
}

public sealed record DemoSummary(int Customers, int Orders, int Conversations, int Messages, TimeSpan Elapsed);

/// <summary>The store every new installation starts with: the departments, and on request a demo shop.</summary>
public sealed class DemoStore(IDbContextFactory<MemberCareDb> dbFactory, TimeProvider time, ILogger<DemoStore> logger)
{
    public async Task EnsureDepartmentsAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await AddMissingDepartmentsAsync(db, ct);
        await db.SaveChangesAsync(ct);
    }

    public async Task<bool> IsEmptyAsync(CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return !await db.Customers.AnyAsync(ct) && !await db.Conversations.AnyAsync(ct);
    }

    /// <summary>
    /// Replaces all customers, orders and conversations with the demo shop, in one transaction: the departments
    /// stay, and a failure leaves the database as it was.
    /// </summary>
    public async Task<DemoSummary> SeedAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var shop = DemoShop.Plan(time.GetUtcNow());

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Defects.ExecuteDeleteAsync(ct);
        await db.Messages.ExecuteDeleteAsync(ct);
        await db.Conversations.ExecuteDeleteAsync(ct);
        await db.OrderLines.ExecuteDeleteAsync(ct);
        await db.Orders.ExecuteDeleteAsync(ct);
        await db.CustomerIdentities.ExecuteDeleteAsync(ct);
        await db.Customers.ExecuteDeleteAsync(ct);
        await AddMissingDepartmentsAsync(db, ct);

        // Orders and conversations point at customers by id, so the customers go in first.
        var customers = shop.CreateCustomers();
        db.Customers.AddRange(customers);
        await db.SaveChangesAsync(ct);
        var orders = shop.CreateOrders(customers);
        var conversations = shop.CreateConversations(customers, orders);
        db.Orders.AddRange(orders);
        db.Conversations.AddRange(conversations);
        await db.SaveChangesAsync(ct);
        db.Handoffs.AddRange(DemoHandoffs.Plan(conversations, time.GetUtcNow()));
        db.Defects.AddRange(DemoDefects.Create(conversations, orders, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        var summary = new DemoSummary(customers.Count, orders.Count, conversations.Count, conversations.Sum(c => c.MessageCount), time.GetElapsedTime(started));
        logger.LogInformation(
            "Demo store seeded: {Customers} customers, {Orders} orders, {Conversations} conversations, {Messages} messages in {Elapsed} ms",
            summary.Customers, summary.Orders, summary.Conversations, summary.Messages, (int)summary.Elapsed.TotalMilliseconds);
        return summary;
    }

    private static async Task AddMissingDepartmentsAsync(MemberCareDb db, CancellationToken ct)
    {
        var known = await db.Departments.Select(d => d.Key).ToListAsync(ct);
        db.Departments.AddRange(Department.Defaults().Where(d => !known.Contains(d.Key)));
    }
}
